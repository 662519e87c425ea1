package dev.switchboard.server.cluster.backend;

import java.util.concurrent.CompletionStage;

/**
 * Where the nodes of a cluster keep what they share: the rooms' directory, one mailbox per node, the sessions'
 * stored state and the nodes' heartbeats. The protocol between nodes ({@link dev.switchboard.server.cluster.node})
 * is written once against this; a backend only stores and fetches, atomically where a method says so.
 * <p>
 * Two backends exist: Redis ({@code cluster.mode: redis}), for nodes in separate processes, and one in memory,
 * for several nodes in one JVM (tests). Every method may throw (or complete exceptionally with)
 * {@link dev.switchboard.server.cluster.ClusterUnavailableException} when the backend cannot be reached.
 */
public interface ClusterBackend extends AutoCloseable {
    /**
     * @return the rooms' directory
     */
    Directory directory();

    /**
     * @return the nodes' mailboxes, read side
     */
    Mailboxes mailboxes();

    /**
     * @return the sessions' stored state, read side
     */
    SessionStore sessions();

    /**
     * @return the nodes' heartbeats
     */
    NodeRegistry nodes();

    /**
     * Writes a batch: its envelopes to their nodes' mailboxes (in order per node), then its session writes in
     * order. The node's writer calls this from one thread, with at most one batch in flight (group commit: what
     * queues meanwhile goes in the next).
     *
     * @param batch the batch
     * @return completes once the backend holds all of it; fails when it could not take it (then it may hold part)
     */
    CompletionStage<Void> write(WriteBatch batch);

    /**
     * @return whether the backend could be reached when last used
     */
    boolean available();

    @Override
    void close();
}
