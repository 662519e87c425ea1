package dev.switchboard.server.room;

import java.util.List;
import java.util.Map;

import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.JoinResult;
import dev.switchboard.server.cluster.Member;
import dev.switchboard.server.session.Session;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.RoomJoined;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;

/**
 * The rooms of this node. A room exists here while it has members on this node: it is created by its first join
 * and removed when its last local member leaves.
 * <p>
 * A room's full membership, over every node, is the {@link Cluster}'s directory: it admits joins (capacity counts
 * every node's members) and tells the other nodes. Each node keeps its local members' sessions and, for the
 * router, who the others are and where they live ({@link RemoteMembership}). A join waits for the directory
 * without holding any lock: it completes when the directory answers (at once when standalone).
 */
public final class RoomRegistry {
    private static final System.Logger LOG = System.getLogger("switchboard.room");

    private final Rooms rooms;
    private final int peersPerRoom;
    private final int roomsPerSession;
    private final Cluster cluster;

    /**
     * @param rooms           the rooms this registry changes
     * @param peersPerRoom    members a room may have
     * @param roomsPerSession rooms a session may be in
     * @param cluster         where rooms are shared with other nodes ({@link Cluster#standalone()}: nowhere)
     */
    public RoomRegistry(Rooms rooms, int peersPerRoom, int roomsPerSession, Cluster cluster) {
        this.rooms = rooms;
        this.peersPerRoom = peersPerRoom;
        this.roomsPerSession = roomsPerSession;
        this.cluster = cluster;
    }

    /**
     * Adds a session to a room. The session gets {@code room_joined} with the other members; each of them gets
     * {@code peer_joined}. Joining a room the session is already in only repeats {@code room_joined}. A full room
     * ({@code ROOM_FULL}), a session in too many rooms ({@code TOO_MANY_ROOMS}) or an unreachable directory
     * ({@code CLUSTER_UNAVAILABLE}) gets an error instead.
     *
     * @param roomId    the room
     * @param session   the joining session
     * @param requestId request to echo on the answer
     */
    public void join(String roomId, Session session, String requestId) {
        if (!session.rooms().contains(roomId) && session.rooms().size() >= roomsPerSession) {
            session.sendError(ErrorCode.ERROR_CODE_TOO_MANY_ROOMS, "already in " + roomsPerSession
                    + " rooms, the most a session may be in; leave one first", requestId);
            return;
        }
        if (session.rooms().contains(roomId)) {
            // repeats room_joined; the room stays while the session is in it (its inbound lock is held)
            admit(rooms.getOrCreate(roomId), session, requestId, new JoinResult(true, List.of()));
            return;
        }
        Member member = new Member(session.userId(), session.id(), session.identity().profile());
        // the room exists while the directory answers, so that remote members announced meanwhile are kept
        Room pending = rooms.changeOrCreate(roomId, Room::joinPending);
        cluster.join(roomId, member, peersPerRoom).whenComplete((result, failure) -> {
            try {
                if (failure != null) {
                    session.sendError(ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, "cannot join room " + roomId
                            + " now: the cluster backend is unavailable; retry later", requestId);
                } else if (!admit(pending, session, requestId, result) && result.joined()) {
                    cluster.left(roomId, member, PeerLeftReason.PEER_LEFT_REASON_LEFT);   // admitted, then refused
                }
            } finally {
                settle(pending);
            }
        });
    }

    private void settle(Room room) {
        room.lock().lock();
        try {
            room.joinSettled();
            rooms.closeIfEmpty(room);
        } finally {
            room.lock().unlock();
        }
    }

    /**
     * Puts a session the directory admitted into the local room, under the room's lock.
     *
     * @param room the room, kept from closing by the pending join (or by the session, a member already)
     * @return false when it was refused after all (the room or the session is full here, or the session ended)
     */
    private boolean admit(Room room, Session session, String requestId, JoinResult directory) {
        String roomId = room.id();
        String full = "room " + roomId + " is full (" + peersPerRoom + " members)";
        if (!directory.joined()) {
            session.sendError(ErrorCode.ERROR_CODE_ROOM_FULL, full, requestId);
            return false;
        }
        room.lock().lock();
        try {
            boolean alreadyIn = room.member(session.userId()) == session;
            if (!alreadyIn && (room.closed() || room.size() >= peersPerRoom
                    || session.outbound().state().ended())) {
                session.sendError(ErrorCode.ERROR_CODE_ROOM_FULL, full, requestId);
                return false;
            }
            if (!alreadyIn) {
                room.mergeRemotes(directory.others());
            }
            RoomJoined.Builder joined = RoomJoined.newBuilder().setRoomId(roomId);
            room.remotes().forEach(other -> joined.addMembers(
                    Announcements.member(session.userId(), other.userId(), other.profile())));
            room.members().stream().filter(other -> other != session).forEach(other -> joined.addMembers(
                    Announcements.member(session.userId(), other.userId(), other.identity().profile())));
            if (!alreadyIn) {
                room.put(session);
                session.enteredRoom(roomId);
                room.members().stream().filter(other -> other != session).forEach(
                        other -> other.send(Announcements.peerJoined(roomId, session.userId(),
                                                                     session.identity().profile(), other.userId())));
                LOG.log(INFO, "Joined: " + session.userId() + " -> room " + roomId + " (" + room.size()
                        + " members)");
            }
            session.send(ServerMessage.newBuilder().setRequestId(requestId).setRoomJoined(joined));
            return true;
        } finally {
            room.lock().unlock();
        }
    }

    /**
     * Removes a session from a room; the remaining members get {@code peer_left}, and the directory is told
     * (after the room's lock is released).
     *
     * @param roomId  the room
     * @param session the leaving session
     * @param reason  why, as the others will see it
     * @return false when the session was not in the room
     */
    public boolean leave(String roomId, Session session, PeerLeftReason reason) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return false;
        }
        room.lock().lock();
        try {
            if (!room.remove(session)) {
                return false;
            }
            session.leftRoom(roomId);
            room.members().forEach(other -> other.send(Announcements.peerLeft(roomId, session.userId(), reason)));
            rooms.closeIfEmpty(room);
            LOG.log(INFO, "Left: " + session.userId() + " <- room " + roomId + " (" + Announcements.label(reason)
                    + ", " + room.size() + " members)");
        } finally {
            room.lock().unlock();
        }
        cluster.left(roomId, new Member(session.userId(), session.id(), Map.of()), reason);
        rooms.memberLeft(roomId, session.userId());
        return true;
    }
}
