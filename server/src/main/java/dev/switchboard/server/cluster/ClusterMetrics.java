package dev.switchboard.server.cluster;

/**
 * What a cluster counts, for the metrics endpoint.
 */
public interface ClusterMetrics {
    /**
     * Envelopes between nodes.
     *
     * @param event sent, received, duplicate (dropped), lost (a gap in the numbers), undeliverable (its session
     *              had ended)
     * @param count how many
     */
    void envelopes(String event, long count);

    /**
     * Session state writes the backend took.
     *
     * @param writes how many, in one batch
     */
    void mirrored(int writes);

    /** A write of session state to the backend failed; the node rewrites its state once the backend is back. */
    void mirrorWriteFailed();
}
