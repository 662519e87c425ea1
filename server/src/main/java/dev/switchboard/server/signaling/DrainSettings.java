package dev.switchboard.server.signaling;

import java.time.Duration;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * How the server shuts down on SIGTERM ({@code drain.*}).
 *
 * @param timeout         how long to wait for clients to leave after telling them to, before stopping anyway
 * @param reconnectSpread the clients' reconnect hints ({@code going_away.reconnect_after_ms}) are spread at
 *                        random over this long, so they do not all arrive at the next server at once
 */
public record DrainSettings(Duration timeout, Duration reconnectSpread) {
    /**
     * Binds the {@code drain} section.
     *
     * @param config root configuration
     * @return the settings
     */
    public static DrainSettings from(Config config) {
        Config drain = config.get("drain");
        return new DrainSettings(ConfigValues.duration(drain.get("timeout")),
                                 ConfigValues.duration(drain.get("reconnect-spread")));
    }
}
