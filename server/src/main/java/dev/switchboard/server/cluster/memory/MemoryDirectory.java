package dev.switchboard.server.cluster.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.cluster.backend.Directory;

/**
 * The rooms of a {@link MemoryCluster}: each room's members by user id. Guarded by the cluster's lock.
 */
final class MemoryDirectory {
    private final Map<String, Map<String, RemotePeer>> rooms = new HashMap<>();

    Optional<List<RemotePeer>> join(String roomId, RemotePeer member, int maxMembers) {
        Map<String, RemotePeer> room = rooms.computeIfAbsent(roomId, id -> new LinkedHashMap<>());
        if (!room.containsKey(member.userId()) && room.size() >= maxMembers) {
            return Optional.empty();
        }
        room.put(member.userId(), member);
        return Optional.of(List.copyOf(room.values()));
    }

    Optional<List<RemotePeer>> leave(String roomId, RemotePeer member) {
        Map<String, RemotePeer> room = rooms.get(roomId);
        RemotePeer there = room == null ? null : room.get(member.userId());
        if (there == null || !member.sameSession(there)) {
            return Optional.empty();
        }
        room.remove(member.userId());
        if (room.isEmpty()) {
            rooms.remove(roomId);
        }
        return Optional.of(List.copyOf(room.values()));
    }

    /** Moves a member to another node, if the room still holds it where it was. */
    boolean move(String roomId, RemotePeer from, String toNode) {
        Map<String, RemotePeer> room = rooms.get(roomId);
        RemotePeer there = room == null ? null : room.get(from.userId());
        if (there == null || !from.sameSession(there)) {
            return false;
        }
        room.put(from.userId(), there.movedTo(toNode));
        return true;
    }

    void put(String roomId, RemotePeer member) {
        rooms.computeIfAbsent(roomId, id -> new LinkedHashMap<>()).put(member.userId(), member);
    }

    List<RemotePeer> members(String roomId) {
        return List.copyOf(rooms.getOrDefault(roomId, Map.of()).values());
    }

    List<Directory.Membership> memberships(String nodeId) {
        List<Directory.Membership> found = new ArrayList<>();
        rooms.forEach((roomId, members) -> members.values().stream()
                .filter(member -> member.nodeId().equals(nodeId))
                .forEach(member -> found.add(new Directory.Membership(roomId, member))));
        return found;
    }

    void clear() {
        rooms.clear();
    }
}
