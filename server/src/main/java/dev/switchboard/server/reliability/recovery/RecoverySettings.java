package dev.switchboard.server.reliability.recovery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * Automatic ICE restart ({@code recovery.*}).
 *
 * @param disconnectedGrace how long a pair may stay disconnected before a restart is requested
 * @param backoff           how long the first attempt gets to reach connected
 * @param backoffMultiplier growth of that time per attempt
 * @param backoffMax        upper bound of that time
 * @param backoffJitter     fraction of it to randomise by
 * @param maxAttempts       attempts before giving up
 * @param historySize       reported state changes kept per side of a pair, for monitoring
 */
public record RecoverySettings(Duration disconnectedGrace,
                               Duration backoff,
                               double backoffMultiplier,
                               Duration backoffMax,
                               double backoffJitter,
                               int maxAttempts,
                               int historySize) {
    /**
     * Binds the {@code recovery} section.
     *
     * @param config root configuration
     * @return the settings
     */
    public static RecoverySettings from(Config config) {
        Config recovery = config.get("recovery");
        return new RecoverySettings(ConfigValues.duration(recovery.get("disconnected-grace")),
                                    ConfigValues.duration(recovery.get("backoff")),
                                    ConfigValues.decimal(recovery.get("backoff-multiplier"), 1, 10),
                                    ConfigValues.duration(recovery.get("backoff-max")),
                                    ConfigValues.decimal(recovery.get("backoff-jitter"), 0, 1),
                                    (int) ConfigValues.number(recovery.get("max-attempts"), 0, 100),
                                    (int) ConfigValues.number(recovery.get("history-size"), 1, 1000));
    }

    /**
     * How long attempt {@code n} gets: {@code backoff * multiplier^(n-1)}, capped, then randomised by the
     * jitter so that many pairs failing together do not restart in lockstep.
     *
     * @param attempt the attempt, from 1
     * @return its time to reach connected
     */
    public Duration backoffFor(int attempt) {
        double base = Math.min(backoffMax.toMillis(), backoff.toMillis() * Math.pow(backoffMultiplier, attempt - 1));
        double spread = base * backoffJitter;
        double jittered = base + (spread == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-spread, spread));
        return Duration.ofMillis(Math.max(1, Math.round(jittered)));
    }
}
