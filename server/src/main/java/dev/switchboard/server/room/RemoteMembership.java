package dev.switchboard.server.room;

import java.util.List;

import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.session.Session;
import dev.switchboard.signaling.v1.PeerLeftReason;

/**
 * Membership changes that other nodes cause: their members joining, leaving or moving (as they announce them), and
 * this node's sessions moving in from or out to another node without their rooms noticing. Called on the
 * cluster's reader thread, and during a resume; every change takes only the room's lock, briefly.
 */
public final class RemoteMembership {
    private final Rooms rooms;

    /**
     * @param rooms this node's rooms
     */
    public RemoteMembership(Rooms rooms) {
        this.rooms = rooms;
    }

    /**
     * A member on another node joined a room: this node's members of the room get {@code peer_joined}.
     *
     * @param roomId the room
     * @param peer   who
     */
    public void remoteJoined(String roomId, RemotePeer peer) {
        rooms.withRoom(roomId, room -> {
            room.putRemote(peer);
            room.members().forEach(other -> other.send(Announcements.peerJoined(roomId, peer.userId(),
                                                                                 peer.profile(), other.userId())));
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
        rooms.withRoom(roomId, room -> {
            removed[0] = room.removeRemote(peer);
            if (removed[0]) {
                room.members().forEach(other -> other.send(Announcements.peerLeft(roomId, peer.userId(), reason)));
            }
        });
        if (removed[0]) {
            rooms.memberLeft(roomId, peer.userId());
        }
    }

    /**
     * A member's session moved between nodes, staying in its rooms: only where it lives changes.
     *
     * @param roomId the room
     * @param peer   who, and where it lives now
     */
    public void remoteMoved(String roomId, RemotePeer peer) {
        rooms.withRoom(roomId, room -> {
            if (room.member(peer.userId()) == null) {
                room.putRemote(peer);
            }
        });
    }

    /**
     * Puts a session taken over from another node back into a room it is in, without announcing it: its peers
     * knew it already.
     *
     * @param roomId  the room
     * @param session the session
     * @param others  the room's members on other nodes
     */
    public void adopt(String roomId, Session session, List<RemotePeer> others) {
        while (true) {
            Room room = rooms.getOrCreate(roomId);
            room.lock().lock();
            try {
                if (room.closed()) {
                    continue;
                }
                room.replaceRemotes(others);
                room.put(session);
                session.enteredRoom(roomId);
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
        RemotePeer moved = new RemotePeer(session.userId(), session.id(), nodeId, session.identity().profile());
        for (String roomId : List.copyOf(session.rooms())) {
            rooms.withRoom(roomId, room -> {
                if (room.remove(session)) {
                    room.putRemote(moved);
                }
                rooms.closeIfEmpty(room);
            });
        }
        session.handedOver();
    }
}
