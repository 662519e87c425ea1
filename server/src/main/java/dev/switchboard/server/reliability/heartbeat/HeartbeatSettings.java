package dev.switchboard.server.reliability.heartbeat;

import java.time.Duration;

import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.signaling.v1.HeartbeatPolicy;
import io.helidon.config.Config;

/**
 * The heartbeat contract ({@code heartbeat.*}).
 *
 * @param interval how often clients should send something, and how often the server pings WebSockets
 * @param timeout  silence after which a connection counts as dropped
 */
public record HeartbeatSettings(Duration interval, Duration timeout) {
    /**
     * @param interval see the record
     * @param timeout  see the record
     */
    public HeartbeatSettings {
        if (interval.isZero() || timeout.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("heartbeat.interval must be positive and heartbeat.timeout longer"
                                                       + " than it, but they are " + interval + " and " + timeout);
        }
    }

    /**
     * Binds the {@code heartbeat} section.
     *
     * @param config root configuration
     * @return the settings
     */
    public static HeartbeatSettings from(Config config) {
        return new HeartbeatSettings(ConfigValues.duration(config.get("heartbeat.interval")),
                                     ConfigValues.duration(config.get("heartbeat.timeout")));
    }

    /**
     * @return the policy as clients receive it
     */
    public HeartbeatPolicy toPolicy() {
        return HeartbeatPolicy.newBuilder()
                .setIntervalMs((int) interval.toMillis())
                .setTimeoutMs((int) timeout.toMillis())
                .build();
    }
}
