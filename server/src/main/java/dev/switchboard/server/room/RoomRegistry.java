package dev.switchboard.server.room;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import dev.switchboard.server.session.Session;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Member;
import dev.switchboard.signaling.v1.PeerJoined;
import dev.switchboard.signaling.v1.PeerLeft;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.RoomJoined;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;

/**
 * The rooms of this server. A room exists while it has members: it is created by its first join and removed
 * when its last member leaves.
 */
public final class RoomRegistry {
    private static final System.Logger LOG = System.getLogger("switchboard.room");

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, String>> memberLeftListeners = new CopyOnWriteArrayList<>();
    private final int peersPerRoom;
    private final int roomsPerSession;

    /**
     * @param peersPerRoom    members a room may have
     * @param roomsPerSession rooms a session may be in
     */
    public RoomRegistry(int peersPerRoom, int roomsPerSession) {
        this.peersPerRoom = peersPerRoom;
        this.roomsPerSession = roomsPerSession;
    }

    /**
     * Registers a listener told whenever a member leaves a room, for whatever reason (after the other members
     * were told).
     *
     * @param listener called with the room id and the user id
     */
    public void onMemberLeft(BiConsumer<String, String> listener) {
        memberLeftListeners.add(listener);
    }

    /**
     * Adds a session to a room. The session gets {@code room_joined} with the other members; each of them gets
     * {@code peer_joined}. Joining a room the session is already in only repeats {@code room_joined}. A full room
     * ({@code ROOM_FULL}) or a session in too many rooms ({@code TOO_MANY_ROOMS}) gets an error instead.
     *
     * @param roomId    the room
     * @param session   the joining session
     * @param requestId request to echo on {@code room_joined}
     */
    public void join(String roomId, Session session, String requestId) {
        if (!session.rooms().contains(roomId) && session.rooms().size() >= roomsPerSession) {
            session.sendError(ErrorCode.ERROR_CODE_TOO_MANY_ROOMS, "already in " + roomsPerSession
                    + " rooms, the most a session may be in; leave one first", requestId);
            return;
        }
        while (true) {
            Room room = rooms.computeIfAbsent(roomId, Room::new);
            room.lock().lock();
            try {
                if (room.closed()) {
                    continue;   // emptied and removed since we looked it up; take the fresh one
                }
                boolean alreadyIn = room.member(session.userId()) == session;
                if (!alreadyIn && room.size() >= peersPerRoom) {
                    session.sendError(ErrorCode.ERROR_CODE_ROOM_FULL, "room " + roomId + " is full ("
                            + peersPerRoom + " members)", requestId);
                    return;
                }
                RoomJoined.Builder joined = RoomJoined.newBuilder().setRoomId(roomId);
                for (Session other : room.members()) {
                    if (other != session) {
                        joined.addMembers(Member.newBuilder()
                                                  .setUserId(other.userId())
                                                  .setRole(NegotiationRoles.roleOf(session.userId(),
                                                                                   other.userId())));
                    }
                }
                if (!alreadyIn) {
                    room.put(session);
                    session.rooms().add(roomId);
                    for (Session other : room.members()) {
                        if (other != session) {
                            other.send(ServerMessage.newBuilder().setPeerJoined(
                                    PeerJoined.newBuilder()
                                            .setRoomId(roomId)
                                            .setUserId(session.userId())
                                            .setRole(NegotiationRoles.roleOf(other.userId(), session.userId()))));
                        }
                    }
                    LOG.log(INFO, "Joined: " + session.userId() + " -> room " + roomId + " (" + room.size()
                            + " members)");
                }
                session.send(ServerMessage.newBuilder().setRequestId(requestId).setRoomJoined(joined));
                return;
            } finally {
                room.lock().unlock();
            }
        }
    }

    /**
     * Removes a session from a room; the remaining members get {@code peer_left}.
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
            session.rooms().remove(roomId);
            ServerMessage.Builder announcement = ServerMessage.newBuilder()
                    .setPeerLeft(PeerLeft.newBuilder()
                                         .setRoomId(roomId)
                                         .setUserId(session.userId())
                                         .setReason(reason));
            for (Session other : room.members()) {
                other.send(announcement.clone());
            }
            if (room.size() == 0) {
                room.close();
                rooms.remove(roomId, room);
            }
            LOG.log(INFO, "Left: " + session.userId() + " <- room " + roomId + " (" + reasonLabel(reason) + ", "
                    + room.size() + " members)");
        } finally {
            room.lock().unlock();
        }
        for (BiConsumer<String, String> listener : memberLeftListeners) {
            listener.accept(roomId, session.userId());
        }
        return true;
    }

    /**
     * A member of a room.
     *
     * @param roomId the room
     * @param userId the member's user id
     * @return the member's session, when the room exists and the user is in it
     */
    public Optional<Session> member(String roomId, String userId) {
        Room room = rooms.get(roomId);
        return room == null ? Optional.empty() : Optional.ofNullable(room.member(userId));
    }

    /**
     * The members of a room.
     *
     * @param roomId the room
     * @return their user ids, sorted; empty when the room does not exist
     */
    public Optional<List<String>> members(String roomId) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return Optional.empty();
        }
        return Optional.of(room.members().stream().map(Session::userId).sorted().toList());
    }

    /**
     * @return how many rooms exist
     */
    public int size() {
        return rooms.size();
    }

    /**
     * @return the ids of the rooms that exist now, sorted
     */
    public List<String> roomIds() {
        return rooms.keySet().stream().sorted().toList();
    }

    /**
     * @return how many memberships there are, over all rooms
     */
    public int peers() {
        return rooms.values().stream().mapToInt(room -> room.members().size()).sum();
    }

    private static String reasonLabel(PeerLeftReason reason) {
        return reason.name().substring("PEER_LEFT_REASON_".length()).toLowerCase();
    }
}
