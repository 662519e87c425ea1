package dev.switchboard.server.cluster.backend;

import java.util.List;
import java.util.function.Consumer;

import dev.switchboard.cluster.v1.NodeEnvelope;

/**
 * One mailbox per node, which the other nodes append envelopes to ({@link ClusterBackend#write}) and the node
 * reads in order.
 */
public interface Mailboxes {
    /**
     * Starts reading a node's mailbox on a thread of the backend's, from what arrived after the node started.
     *
     * @param nodeId    the node
     * @param handler   applies one envelope; called on the reader thread, in mailbox order
     * @param onFailure told when the backend could not be read (the reader retries)
     */
    void read(String nodeId, Consumer<NodeEnvelope> handler, Consumer<RuntimeException> onFailure);

    /**
     * The envelopes a dead node never read.
     *
     * @param nodeId the dead node
     * @return them, in mailbox order; blocks on the backend
     */
    List<NodeEnvelope> unread(String nodeId);
}
