package dev.switchboard.server.session;

import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * Mirrors sessions into the cluster, as records: what they send, and their state when it changes.
 */
public final class ClusterMirror implements SessionMirror {
    private final Cluster cluster;

    /**
     * @param cluster where sessions are stored for other nodes to resume
     */
    public ClusterMirror(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void opened(Session session) {
        cluster.opened(SessionRecords.of(session));
    }

    @Override
    public void sent(String sessionId, ServerMessage message, int replaySize) {
        cluster.sent(sessionId, message, replaySize);
    }

    @Override
    public void changed(Session session) {
        cluster.saved(session.id(), () -> SessionRecords.of(session));
    }
}
