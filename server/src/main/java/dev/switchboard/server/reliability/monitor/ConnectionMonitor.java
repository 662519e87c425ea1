package dev.switchboard.server.reliability.monitor;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import dev.switchboard.server.reliability.recovery.IceRestartCoordinator;
import dev.switchboard.server.room.NegotiationRoles;
import dev.switchboard.server.room.PairKey;
import dev.switchboard.server.room.Rooms;
import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.PeerPairStatus;
import dev.switchboard.signaling.v1.RoomConnections;

import static java.lang.System.Logger.Level.INFO;

/**
 * What peers report about their RTCPeerConnections, per pair of room members: both views, a bounded history,
 * and the health derived from them, which drives {@link IceRestartCoordinator}. A pair's state lives as long as
 * both peers are in the room.
 */
public final class ConnectionMonitor {
    private static final System.Logger LOG = System.getLogger("switchboard.monitor");

    private final int historySize;
    private final IceRestartCoordinator recovery;
    private final Rooms rooms;
    private final ConcurrentHashMap<PairKey, PeerPair> pairs = new ConcurrentHashMap<>();

    /**
     * @param historySize reported changes kept per side of a pair
     * @param recovery    told about every pair's health
     * @param rooms       membership, which a pair's state never outlives
     */
    public ConnectionMonitor(int historySize, IceRestartCoordinator recovery, Rooms rooms) {
        this.historySize = historySize;
        this.recovery = recovery;
        this.rooms = rooms;
    }

    /**
     * Records a report from a room member about its connection to another member. The caller checks membership
     * to answer the reporter; this checks it again, so a pair never outlives a member who left meanwhile.
     *
     * @param roomId   the room
     * @param reporter who reported
     * @param update   the report
     */
    public void report(String roomId, String reporter, ConnectionStateUpdate update) {
        PairKey key = PairKey.of(roomId, reporter, update.getTargetUserId());
        PeerPair pair = pairs.computeIfAbsent(key, k -> new PeerPair(k, historySize));
        pair.lock.lock();
        try {
            if (!rooms.isMember(roomId, reporter) || !rooms.isMember(roomId, update.getTargetUserId())) {
                // one of them left while the report was on its way; memberLeft may have run before we added it
                pairs.remove(key, pair);
                recovery.cancel(key);
                return;
            }
            if (pair.apply(reporter, update, System.currentTimeMillis())) {
                LOG.log(INFO, "Connection state updated: " + reporter + " -> " + update.getTargetUserId() + " "
                        + stateName(update.getConnectionState()));
            }
            recovery.healthChanged(key, pair.health());
            if (pairs.get(key) != pair) {
                recovery.cancel(key);   // a member left while we reported: memberLeft removed the pair meanwhile
            }
        } finally {
            pair.lock.unlock();
        }
    }

    /**
     * Forgets every pair of a member who left a room, and cancels their pending restarts.
     *
     * @param roomId the room
     * @param userId the member who left
     */
    public void memberLeft(String roomId, String userId) {
        pairs.keySet().removeIf(key -> {
            if (key.roomId().equals(roomId) && key.involves(userId)) {
                recovery.cancel(key);
                return true;
            }
            return false;
        });
    }

    /**
     * Every pair of a room's members, with both views (empty ones for pairs that reported nothing).
     *
     * @param roomId  the room
     * @param members its members' user ids
     * @return the snapshot
     */
    public RoomConnections snapshot(String roomId, List<String> members) {
        long now = System.currentTimeMillis();
        RoomConnections.Builder room = RoomConnections.newBuilder().setRoomId(roomId).setObservedAtMs(now);
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                PairKey key = PairKey.of(roomId, members.get(i), members.get(j));
                PeerPair pair = pairs.getOrDefault(key, new PeerPair(key, historySize));
                PeerPairStatus.Builder status;
                pair.lock.lock();
                try {
                    status = pair.toProto(now);
                } finally {
                    pair.lock.unlock();
                }
                room.addPairs(status.setImpoliteUserId(NegotiationRoles.impoliteOf(key.first(), key.second()))
                                      .setRestartAttempt(recovery.attempt(key))
                                      .setMaxRestartAttempts(recovery.maxAttempts()));
            }
        }
        return room.build();
    }


    /**
     * The browser's name of a connection state ({@code PEER_CONNECTION_STATE_FAILED} is "failed"), for logs.
     *
     * @param state the state
     * @return its name
     */
    public static String stateName(PeerConnectionState state) {
        return switch (state) {
            case PEER_CONNECTION_STATE_UNSPECIFIED, UNRECOGNIZED -> "unreported";
            default -> state.name().substring("PEER_CONNECTION_STATE_".length()).toLowerCase();
        };
    }
}
