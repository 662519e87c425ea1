package dev.switchboard.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

import dev.switchboard.signaling.v1.ReconnectPolicy;

/**
 * The reconnect schedule the server advertises in {@code welcome}: attempt n waits
 * {@code min(max_delay, initial_delay * multiplier^(n-1))}, randomised by plus or minus {@code jitter} of itself, so
 * that clients dropped together do not all come back at the same instant.
 */
final class ReconnectBackoff {
    /** The server's defaults, used until the first {@code welcome} says otherwise. */
    static final ReconnectPolicy DEFAULT_POLICY = ReconnectPolicy.newBuilder()
            .setInitialDelayMs(250)
            .setMultiplier(2.0)
            .setMaxDelayMs(5_000)
            .setJitter(0.5)
            .build();

    private final ReconnectPolicy policy;
    private final DoubleSupplier random;

    /**
     * @param policy the advertised policy
     * @param random uniform numbers in [0, 1)
     */
    ReconnectBackoff(ReconnectPolicy policy, DoubleSupplier random) {
        this.policy = policy;
        this.random = random;
    }

    /**
     * @param attempt the attempt about to be made, from 1
     * @return how long to wait before it
     */
    Duration delayBefore(int attempt) {
        double base = policy.getInitialDelayMs() * Math.pow(Math.max(1.0, policy.getMultiplier()), attempt - 1);
        double capped = Math.min(policy.getMaxDelayMs(), base);
        double jitter = Math.max(0.0, Math.min(1.0, policy.getJitter()));
        double randomised = capped * (1 + jitter * (2 * random.getAsDouble() - 1));
        return Duration.ofMillis(Math.max(0, Math.round(randomised)));
    }
}
