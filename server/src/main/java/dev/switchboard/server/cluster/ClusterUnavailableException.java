package dev.switchboard.server.cluster;

/**
 * The cluster backend cannot be reached now; what needed it was not done. Clients are told
 * {@code CLUSTER_UNAVAILABLE} and may retry.
 */
public final class ClusterUnavailableException extends Exception {
    /**
     * @param what  what could not be done
     * @param cause the backend's failure
     */
    public ClusterUnavailableException(String what, Throwable cause) {
        super(what + ": the cluster backend is unavailable", cause);
    }
}
