package dev.switchboard.server.signaling;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.switchboard.server.observe.LogText;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.room.Rooms;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.RoomLeft;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;

/**
 * What an operator does to the core: through the admin API (disconnect a user, close a room) and on shutdown
 * (drain).
 */
public final class Operator {
    private static final System.Logger LOG = System.getLogger("switchboard.signaling");

    private final SessionRegistry sessions;
    private final Rooms rooms;
    private final RoomRegistry registry;
    private final Teardown teardown;

    Operator(SessionRegistry sessions, Rooms rooms, RoomRegistry registry, Teardown teardown) {
        this.sessions = sessions;
        this.rooms = rooms;
        this.registry = registry;
        this.teardown = teardown;
    }

    /**
     * Disconnects a user's session: it gets a fatal {@code REMOVED} with the reason, its peers see it leave.
     *
     * @param userId the user
     * @param reason told to the client and logged
     * @return whether the user had a session here
     */
    public boolean disconnect(String userId, String reason) {
        Optional<Session> session = sessions.find(userId);
        session.ifPresent(found -> teardown.remove(found, reason));
        return session.isPresent();
    }

    /**
     * Removes every member on this node from a room: each gets {@code room_left} with the reason.
     *
     * @param roomId the room
     * @param reason told to the members and logged
     * @return how many members were removed
     */
    public int closeRoom(String roomId, String reason) {
        int removed = 0;
        for (String userId : rooms.members(roomId).orElse(List.of())) {
            Optional<Session> member = rooms.member(roomId, userId);
            if (member.isPresent() && registry.leave(roomId, member.get(), PeerLeftReason.PEER_LEFT_REASON_REMOVED)) {
                member.get().send(ServerMessage.newBuilder().setRoomLeft(
                        RoomLeft.newBuilder().setRoomId(roomId).setReason(reason)));
                removed++;
            }
        }
        LOG.log(INFO, "Room closed by an operator: " + roomId + " (" + removed + " members removed): "
                + LogText.quote(reason));
        return removed;
    }

    /**
     * Starts draining: no new or resumed sessions; every client is told to reconnect elsewhere.
     *
     * @param reconnectSpread the clients' reconnect hints are spread over this long
     */
    public void drain(Duration reconnectSpread) {
        teardown.drain(reconnectSpread);
    }
}
