package dev.switchboard.server.cluster;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionMirror;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * A cluster of one node: no other node exists, so there is nothing to share and nobody to tell.
 */
final class Standalone implements Cluster {
    static final Standalone INSTANCE = new Standalone();

    private final String nodeId = UUID.randomUUID().toString();

    private Standalone() {
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public void start(ClusterListener listener) {
    }

    @Override
    public JoinResult join(String roomId, Session session, int maxMembers) {
        return new JoinResult(true, List.of());
    }

    @Override
    public void left(String roomId, Session session, PeerLeftReason reason) {
    }

    @Override
    public void deliver(RemotePeer to, String roomId, ServerMessage message) {
        throw new IllegalStateException("a standalone node has no remote peers");
    }

    @Override
    public SessionMirror mirror() {
        return SessionMirror.NONE;
    }

    @Override
    public void opened(Session session) {
    }

    @Override
    public void saved(Session session) {
    }

    @Override
    public void ended(Session session) {
    }

    @Override
    public Optional<ClaimedSession> claim(String resumeToken) {
        return Optional.empty();
    }

    @Override
    public void moved(Session session, List<RemotePeer> peers) {
    }

    @Override
    public List<RemotePeer> remoteMembers(String roomId) {
        return List.of();
    }

    @Override
    public void close() {
    }
}
