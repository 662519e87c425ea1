package dev.switchboard.server.observe;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * {@code /observe/health/live}: the server answers, so the process is worth keeping. (Restarting it would drop
 * every session; only a server that cannot answer at all should be restarted.)
 */
public final class Liveness implements HealthCheck {
    @Override
    public HealthCheckType type() {
        return HealthCheckType.LIVENESS;
    }

    @Override
    public String name() {
        return "server";
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.builder().status(true).build();
    }
}
