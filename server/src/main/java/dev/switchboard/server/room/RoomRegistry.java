package dev.switchboard.server.room;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterUnavailableException;
import dev.switchboard.server.cluster.JoinResult;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.session.Session;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Member;
import dev.switchboard.signaling.v1.PeerJoined;
import dev.switchboard.signaling.v1.PeerLeft;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.RoomJoined;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The rooms of this node. A room exists here while it has members on this node: it is created by its first join
 * and removed when its last local member leaves.
 * <p>
 * In cluster mode a room's members may live on several nodes: the {@link Cluster} holds the room's full
 * membership and admits joins; each node keeps its local members' sessions and, for the relay's hot path, who
 * the others are and where they live, kept current by the other nodes' announcements.
 */
public final class RoomRegistry {
    private static final System.Logger LOG = System.getLogger("switchboard.room");

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, String>> memberLeftListeners = new CopyOnWriteArrayList<>();
    private final int peersPerRoom;
    private final int roomsPerSession;
    private final Cluster cluster;

    /**
     * @param peersPerRoom    members a room may have
     * @param roomsPerSession rooms a session may be in
     * @param cluster         where rooms are shared with other nodes ({@link Cluster#standalone()}: nowhere)
     */
    public RoomRegistry(int peersPerRoom, int roomsPerSession, Cluster cluster) {
        this.peersPerRoom = peersPerRoom;
        this.roomsPerSession = roomsPerSession;
        this.cluster = cluster;
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
                if (!alreadyIn && !admitted(room, session, requestId)) {
                    closeIfEmpty(room);
                    return;
                }
                RoomJoined.Builder joined = RoomJoined.newBuilder().setRoomId(roomId);
                room.remotes().forEach(other -> joined.addMembers(memberAsSeenBy(session.userId(), other.userId())));
                for (Session other : room.members()) {
                    if (other != session) {
                        joined.addMembers(memberAsSeenBy(session.userId(), other.userId()));
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

    /** Whether the room takes one more member; if not, the session was told why. Called under the room's lock. */
    private boolean admitted(Room room, Session session, String requestId) {
        String full = "room " + room.id() + " is full (" + peersPerRoom + " members)";
        if (room.size() >= peersPerRoom) {
            session.sendError(ErrorCode.ERROR_CODE_ROOM_FULL, full, requestId);
            return false;
        }
        try {
            JoinResult result = cluster.join(room.id(), session, peersPerRoom);
            if (!result.joined()) {
                session.sendError(ErrorCode.ERROR_CODE_ROOM_FULL, full, requestId);
                return false;
            }
            room.replaceRemotes(result.others());
            return true;
        } catch (ClusterUnavailableException e) {
            session.sendError(ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, "cannot join room " + room.id()
                    + " now: the cluster backend is unavailable; retry later", requestId);
            return false;
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
            cluster.left(roomId, session, reason);
            closeIfEmpty(room);
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
     * A member on another node joined a room: this node's members of the room get {@code peer_joined}.
     *
     * @param roomId the room
     * @param peer   who
     */
    public void remoteJoined(String roomId, RemotePeer peer) {
        withRoom(roomId, room -> {
            room.putRemote(peer);
            for (Session other : room.members()) {
                other.send(ServerMessage.newBuilder().setPeerJoined(
                        PeerJoined.newBuilder()
                                .setRoomId(roomId)
                                .setUserId(peer.userId())
                                .setRole(NegotiationRoles.roleOf(other.userId(), peer.userId()))));
            }
        });
    }

    /**
     * A member on another node left a room: this node's members of the room get {@code peer_left}.
     *
     * @param roomId the room
     * @param peer   who
     * @param reason why
     */
    public void remoteLeft(String roomId, RemotePeer peer, PeerLeftReason reason) {
        boolean[] removed = new boolean[1];
        withRoom(roomId, room -> {
            removed[0] = room.removeRemote(peer);
            if (removed[0]) {
                for (Session other : room.members()) {
                    other.send(ServerMessage.newBuilder().setPeerLeft(
                            PeerLeft.newBuilder().setRoomId(roomId).setUserId(peer.userId()).setReason(reason)));
                }
            }
        });
        if (removed[0]) {
            memberLeftListeners.forEach(listener -> listener.accept(roomId, peer.userId()));
        }
    }

    /**
     * A member's session moved between nodes, staying in its rooms: only where it lives changes.
     *
     * @param roomId the room
     * @param peer   who, and where it lives now
     */
    public void remoteMoved(String roomId, RemotePeer peer) {
        withRoom(roomId, room -> {
            if (room.member(peer.userId()) == null) {
                room.putRemote(peer);
            }
        });
    }

    /**
     * Puts a session taken over from another node back into a room it is in, without announcing it: its peers
     * knew it already.
     *
     * @param roomId the room
     * @param session the session
     * @param others  the room's members on other nodes
     */
    public void adopt(String roomId, Session session, List<RemotePeer> others) {
        while (true) {
            Room room = rooms.computeIfAbsent(roomId, Room::new);
            room.lock().lock();
            try {
                if (room.closed()) {
                    continue;
                }
                room.replaceRemotes(others);
                room.put(session);
                session.rooms().add(roomId);
                return;
            } finally {
                room.lock().unlock();
            }
        }
    }

    /**
     * Takes a session handed over to another node out of this node's rooms, without announcing it: it stays a
     * member, living elsewhere.
     *
     * @param session the session
     * @param nodeId  the node it lives on now
     */
    public void handOver(Session session, String nodeId) {
        RemotePeer moved = new RemotePeer(session.userId(), session.id(), nodeId);
        for (String roomId : List.copyOf(session.rooms())) {
            withRoom(roomId, room -> {
                if (room.remove(session)) {
                    room.putRemote(moved);
                }
                closeIfEmpty(room);
            });
            session.rooms().remove(roomId);
        }
    }

    /**
     * A member of a room on another node.
     *
     * @param roomId the room
     * @param userId the member's user id
     * @return where it lives, when this node knows it as a member
     */
    public Optional<RemotePeer> remoteMember(String roomId, String userId) {
        Room room = rooms.get(roomId);
        return room == null ? Optional.empty() : Optional.ofNullable(room.remote(userId));
    }

    /**
     * @param roomId the room
     * @param userId a user
     * @return whether the user is a member, on this node or another
     */
    public boolean isMember(String roomId, String userId) {
        return member(roomId, userId).isPresent() || remoteMember(roomId, userId).isPresent();
    }

    /**
     * Sends a message to a member, on this node or another; a member on an unreachable node is skipped (logged).
     *
     * @param roomId  the room
     * @param userId  the member
     * @param message the message
     */
    public void sendTo(String roomId, String userId, ServerMessage.Builder message) {
        Optional<Session> local = member(roomId, userId);
        if (local.isPresent()) {
            local.get().send(message);
            return;
        }
        Optional<RemotePeer> remote = remoteMember(roomId, userId);
        if (remote.isPresent()) {
            try {
                cluster.deliver(remote.get(), roomId, message.build());
            } catch (ClusterUnavailableException e) {
                LOG.log(WARNING, "Could not send " + message.getPayloadCase() + " to " + userId + ": "
                        + e.getMessage());
            }
        }
    }

    private void withRoom(String roomId, java.util.function.Consumer<Room> change) {
        Room room = rooms.get(roomId);
        if (room == null) {
            return;     // no member here: nobody to tell
        }
        room.lock().lock();
        try {
            if (!room.closed()) {
                change.accept(room);
            }
        } finally {
            room.lock().unlock();
        }
    }

    /** Guarded by the room's lock. */
    private void closeIfEmpty(Room room) {
        if (room.size() == 0 && !room.closed()) {
            room.close();
            rooms.remove(room.id(), room);
        }
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

    /** A member of a room as {@code forUser} is told about it, with the role {@code forUser} plays towards it. */
    private static Member.Builder memberAsSeenBy(String forUser, String memberUser) {
        return Member.newBuilder().setUserId(memberUser).setRole(NegotiationRoles.roleOf(forUser, memberUser));
    }

    private static String reasonLabel(PeerLeftReason reason) {
        return reason.name().substring("PEER_LEFT_REASON_".length()).toLowerCase();
    }
}
