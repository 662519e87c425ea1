package dev.switchboard.server.observe;

import java.util.concurrent.atomic.AtomicReference;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Whether this server should get new sessions ({@code /observe/health/ready}): a load balancer stops sending it
 * clients once it says no. It says no while draining.
 */
public final class Readiness implements HealthCheck {
    private final AtomicReference<String> notReady = new AtomicReference<>();

    /**
     * From now on, not ready.
     *
     * @param why shown in the health details
     */
    public void notReady(String why) {
        notReady.set(why);
    }

    /**
     * @return whether the server takes new sessions
     */
    public boolean ready() {
        return notReady.get() == null;
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return "accepting-sessions";
    }

    @Override
    public HealthCheckResponse call() {
        String why = notReady.get();
        HealthCheckResponse.Builder response = HealthCheckResponse.builder().status(why == null);
        if (why != null) {
            response.detail("reason", why);
        }
        return response.build();
    }
}
