package dev.switchboard.server.signaling;

import java.util.List;
import java.util.Optional;

import dev.switchboard.server.cluster.ClusterListener;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * What this node does with what other nodes tell it: the same calls on rooms and sessions that its own clients'
 * messages cause.
 */
final class ClusterEvents implements ClusterListener {
    private final SessionRegistry sessions;
    private final RoomRegistry rooms;
    private final SessionLifecycle lifecycle;

    ClusterEvents(SessionRegistry sessions, RoomRegistry rooms, SessionLifecycle lifecycle) {
        this.sessions = sessions;
        this.rooms = rooms;
        this.lifecycle = lifecycle;
    }

    @Override
    public boolean deliver(String roomId, String userId, String sessionId, ServerMessage message) {
        Optional<Session> session = sessions.find(userId).filter(found -> found.id().equals(sessionId));
        session.ifPresent(found -> found.send(message.toBuilder()));
        return session.isPresent();
    }

    @Override
    public void memberJoined(String roomId, RemotePeer member) {
        rooms.remoteJoined(roomId, member);
    }

    @Override
    public void memberLeft(String roomId, RemotePeer member, PeerLeftReason reason) {
        rooms.remoteLeft(roomId, member, reason);
    }

    @Override
    public void memberMoved(List<String> roomIds, RemotePeer member) {
        roomIds.forEach(roomId -> rooms.remoteMoved(roomId, member));
    }

    @Override
    public boolean release(String userId, String sessionId, String claimer) {
        return lifecycle.release(userId, sessionId, claimer);
    }

    @Override
    public void replaced(String userId, String sessionId) {
        lifecycle.replacedElsewhere(userId, sessionId);
    }
}
