package dev.switchboard.server.cluster.backend;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The nodes of a cluster and their heartbeats. Every method blocks on the backend: call it from the cluster's own
 * thread, never under a lock or on the core's timer thread.
 */
public interface NodeRegistry {
    /**
     * Records a heartbeat of a node.
     *
     * @param nodeId  the node
     * @param timeout a node silent this long is dead
     * @return false when the backend had lost the node (restarted empty, or the node was silent past the
     *         timeout): the node must write its state again
     */
    boolean beat(String nodeId, Duration timeout);

    /**
     * @param timeout a node silent this long is dead
     * @return the nodes that beat within the timeout
     */
    Set<String> live(Duration timeout);

    /**
     * @param nodeId a node
     * @param within how recent its last beat must be
     * @return whether it beat within that time
     */
    boolean beatWithin(String nodeId, Duration within);

    /**
     * @param silentFor how long their last beat must be ago
     * @return the nodes silent that long
     */
    List<String> silent(Duration silentFor);

    /**
     * Takes the job of reaping a dead node, unless another node has it.
     *
     * @param deadNodeId the dead node
     * @param reaper     this node
     * @return whether this node reaps it
     */
    boolean reap(String deadNodeId, String reaper);

    /**
     * Forgets a reaped node: its heartbeat, mailbox and memberships.
     *
     * @param deadNodeId the node
     */
    void forget(String deadNodeId);
}
