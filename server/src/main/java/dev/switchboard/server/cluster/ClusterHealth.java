package dev.switchboard.server.cluster;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness of a cluster node: not ready while the cluster backend is unreachable, since new joins are refused
 * then. Sessions already here keep relaying among themselves.
 */
public final class ClusterHealth implements HealthCheck {
    private final Cluster cluster;

    /**
     * @param cluster the node's cluster
     */
    public ClusterHealth(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public HealthCheckResponse call() {
        boolean available = cluster.available();
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().status(available)
                .detail("node", cluster.nodeId());
        if (!available) {
            response.detail("reason", "cluster backend unreachable");
        }
        return response.build();
    }
}
