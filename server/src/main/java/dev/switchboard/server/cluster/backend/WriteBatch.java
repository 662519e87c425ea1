package dev.switchboard.server.cluster.backend;

import java.util.List;
import java.util.Map;

import dev.switchboard.cluster.v1.NodeEnvelope;

/**
 * What a node writes to the backend in one go.
 *
 * @param envelopes envelopes per receiving node, in the order they were sent
 * @param store     session writes, in order
 */
public record WriteBatch(Map<String, List<NodeEnvelope>> envelopes, List<StoreOp> store) {
    /**
     * @return whether there is nothing to write
     */
    public boolean isEmpty() {
        return envelopes.isEmpty() && store.isEmpty();
    }
}
