package dev.switchboard.server.reliability.dedup;

import java.time.Duration;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * Bounds of duplicate detection ({@code dedup.*}).
 *
 * @param sequenceWindow   how far below the highest sequence a late message is still recognised as new
 *                         (reordering); anything older counts as a duplicate
 * @param legacyTtl        how long an unnumbered signal is remembered by content
 * @param legacyMaxEntries most unnumbered signals remembered per session
 * @param maxPairs         most peers per session whose offer order and ICE generations are tracked
 */
public record DedupSettings(int sequenceWindow, Duration legacyTtl, int legacyMaxEntries, int maxPairs) {
    /**
     * Binds the {@code dedup} section.
     *
     * @param config root configuration
     * @return the settings
     */
    public static DedupSettings from(Config config) {
        Config dedup = config.get("dedup");
        return new DedupSettings((int) ConfigValues.number(dedup.get("sequence-window"), 64, 65_536),
                                 ConfigValues.duration(dedup.get("legacy-ttl")),
                                 (int) ConfigValues.number(dedup.get("legacy-max-entries"), 1, 1_000_000),
                                 (int) ConfigValues.number(dedup.get("max-pairs"), 1, 100_000));
    }
}
