package dev.switchboard.server.signaling;

import java.util.List;
import java.util.Optional;

import dev.switchboard.server.cluster.ClusterListener;
import dev.switchboard.server.cluster.LocalSession;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.cluster.SessionKey;
import dev.switchboard.server.room.RemoteMembership;
import dev.switchboard.server.routing.Router;
import dev.switchboard.server.session.SessionRecords;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.server.session.StreamSnapshot;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * What this node does with what other nodes tell it: messages go through the router like any other delivery,
 * membership changes to the rooms' remote members, hand-overs and replacements to the session lifecycle.
 */
final class ClusterEvents implements ClusterListener {
    private final Router router;
    private final RemoteMembership membership;
    private final Resumption resumption;
    private final Teardown teardown;
    private final SessionRegistry sessions;

    ClusterEvents(Router router, RemoteMembership membership, Resumption resumption, Teardown teardown,
                  SessionRegistry sessions) {
        this.sessions = sessions;
        this.router = router;
        this.membership = membership;
        this.resumption = resumption;
        this.teardown = teardown;
    }

    @Override
    public boolean deliver(String roomId, String userId, String sessionId, ServerMessage message) {
        return router.deliverHere(userId, sessionId, message);
    }

    @Override
    public void memberJoined(String roomId, RemotePeer member) {
        membership.remoteJoined(roomId, member);
    }

    @Override
    public void memberLeft(String roomId, RemotePeer member, PeerLeftReason reason) {
        membership.remoteLeft(roomId, member, reason);
    }

    @Override
    public void memberMoved(List<String> roomIds, RemotePeer member) {
        roomIds.forEach(roomId -> membership.remoteMoved(roomId, member));
    }

    @Override
    public Optional<LocalSession> release(String userId, String sessionId, String claimer) {
        return resumption.release(userId, sessionId, claimer);
    }

    @Override
    public void replaced(String userId, String sessionId) {
        teardown.replacedElsewhere(userId, sessionId);
    }

    @Override
    public List<LocalSession> localSessions() {
        return sessions.sessions().stream().map(session -> {
            StreamSnapshot sent = session.outbound().snapshot();
            return new LocalSession(SessionRecords.of(session), sent.lastSequence(), sent.replay());
        }).toList();
    }

    @Override
    public List<SessionKey> sessionKeys() {
        return sessions.sessions().stream()
                .map(session -> new SessionKey(session.id(), session.userId(), session.resumeToken()))
                .toList();
    }
}
