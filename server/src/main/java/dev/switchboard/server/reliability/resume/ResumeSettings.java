package dev.switchboard.server.reliability.resume;

import java.time.Duration;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * How long a dropped session waits to be resumed, and how much it buffers meanwhile ({@code resume.*}).
 *
 * @param window         how long a session outlives its dropped connection; zero ends sessions with their
 *                       connection
 * @param bufferMessages most messages a session keeps for replay
 * @param bufferBytes    most encoded bytes a session keeps for replay
 */
public record ResumeSettings(Duration window, int bufferMessages, long bufferBytes) {
    /**
     * Binds the {@code resume} section.
     *
     * @param config root configuration
     * @return the settings
     */
    public static ResumeSettings from(Config config) {
        Config resume = config.get("resume");
        return new ResumeSettings(ConfigValues.duration(resume.get("window")),
                                  (int) ConfigValues.number(resume.get("buffer-messages"), 1, 1_000_000),
                                  ConfigValues.number(resume.get("buffer-bytes"), 1024, 1L << 30));
    }

    /**
     * @return whether dropped sessions can be resumed at all
     */
    public boolean enabled() {
        return !window.isZero();
    }
}
