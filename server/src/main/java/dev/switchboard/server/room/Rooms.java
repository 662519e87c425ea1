package dev.switchboard.server.room;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.session.Session;

/**
 * The rooms of this node, as others read them: who is a member, on this node or another. Membership changes go
 * through {@link RoomRegistry}. Reads take no lock: a member added or removed meanwhile is seen or not, as in
 * any concurrent map.
 */
public final class Rooms {
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, String>> memberLeftListeners = new CopyOnWriteArrayList<>();

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
     * A member of a room on this node.
     *
     * @param roomId the room
     * @param userId the member's user id
     * @return the member's session, when the room exists here and the user is in it
     */
    public Optional<Session> member(String roomId, String userId) {
        Room room = rooms.get(roomId);
        return room == null ? Optional.empty() : Optional.ofNullable(room.member(userId));
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
     * @param roomId the room
     * @return the sessions of the room's members on this node; empty when the room does not exist here
     */
    public List<Session> sessionsIn(String roomId) {
        Room room = rooms.get(roomId);
        return room == null ? List.of() : List.copyOf(room.members());
    }

    /**
     * @param roomId the room
     * @return the room's members on other nodes, as this node knows them
     */
    public List<RemotePeer> remotesIn(String roomId) {
        Room room = rooms.get(roomId);
        return room == null ? List.of() : List.copyOf(room.remotes());
    }

    /**
     * The members of a room on this node.
     *
     * @param roomId the room
     * @return their user ids, sorted; empty when the room does not exist here
     */
    public Optional<List<String>> members(String roomId) {
        Room room = rooms.get(roomId);
        return room == null ? Optional.empty()
                : Optional.of(room.members().stream().map(Session::userId).sorted().toList());
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
     * @return how many memberships there are on this node, over all rooms
     */
    public int peers() {
        return rooms.values().stream().mapToInt(Room::size).sum();
    }

    Room get(String roomId) {
        return rooms.get(roomId);
    }

    Room getOrCreate(String roomId) {
        return rooms.computeIfAbsent(roomId, Room::new);
    }

    /**
     * Changes a room under its lock, creating it if need be (retrying if it was closed meanwhile).
     *
     * @return the room changed
     */
    Room changeOrCreate(String roomId, Consumer<Room> change) {
        while (true) {
            Room room = getOrCreate(roomId);
            room.lock().lock();
            try {
                if (!room.closed()) {
                    change.accept(room);
                    return room;
                }
            } finally {
                room.lock().unlock();
            }
        }
    }

    /** Changes a room under its lock, if it exists here. */
    void withRoom(String roomId, Consumer<Room> change) {
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
    void closeIfEmpty(Room room) {
        if (room.size() == 0 && !room.joinsPending() && !room.closed()) {
            room.close();
            rooms.remove(room.id(), room);
        }
    }

    /** Tells the listeners a member left; called after the room's lock was released. */
    void memberLeft(String roomId, String userId) {
        memberLeftListeners.forEach(listener -> listener.accept(roomId, userId));
    }
}
