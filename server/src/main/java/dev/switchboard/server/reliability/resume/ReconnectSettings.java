package dev.switchboard.server.reliability.resume;

import java.time.Duration;

import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.signaling.v1.ReconnectPolicy;
import io.helidon.config.Config;

/**
 * The reconnect schedule advertised to clients in {@code welcome} ({@code reconnect.*}).
 *
 * @param initialDelay delay before the first attempt
 * @param multiplier   growth of the delay per failed attempt
 * @param maxDelay     upper bound of the delay
 * @param jitter       fraction of the delay to randomise by
 */
public record ReconnectSettings(Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {
    /**
     * Binds the {@code reconnect} section.
     *
     * @param config root configuration
     * @return the settings
     */
    public static ReconnectSettings from(Config config) {
        Config reconnect = config.get("reconnect");
        return new ReconnectSettings(ConfigValues.duration(reconnect.get("initial-delay")),
                                     ConfigValues.decimal(reconnect.get("multiplier"), 1, 10),
                                     ConfigValues.duration(reconnect.get("max-delay")),
                                     ConfigValues.decimal(reconnect.get("jitter"), 0, 1));
    }

    /**
     * @return the policy as clients receive it
     */
    public ReconnectPolicy toPolicy() {
        return ReconnectPolicy.newBuilder()
                .setInitialDelayMs((int) initialDelay.toMillis())
                .setMultiplier(multiplier)
                .setMaxDelayMs((int) maxDelay.toMillis())
                .setJitter(jitter)
                .build();
    }
}
