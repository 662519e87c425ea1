package dev.switchboard.server.signaling;

import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.reliability.dedup.DedupSettings;
import dev.switchboard.server.reliability.heartbeat.HeartbeatSettings;
import dev.switchboard.server.reliability.recovery.RecoverySettings;
import dev.switchboard.server.reliability.resume.ReconnectSettings;
import dev.switchboard.server.reliability.resume.ResumeSettings;
import dev.switchboard.server.session.SessionSettings;
import io.helidon.config.Config;

/**
 * The settings of the signaling core, each bound from its own section.
 *
 * @param session   per-connection write queue bounds
 * @param limits    bounds on what one client may send and hold
 * @param resume    resume window and buffer
 * @param reconnect reconnect policy advertised in {@code welcome}
 * @param dedup     duplicate detection bounds
 * @param heartbeat heartbeat interval and timeout
 * @param recovery  ICE-restart recovery
 * @param drain     shutdown
 */
public record CoreSettings(SessionSettings session,
                           LimitSettings limits,
                           ResumeSettings resume,
                           ReconnectSettings reconnect,
                           DedupSettings dedup,
                           HeartbeatSettings heartbeat,
                           RecoverySettings recovery,
                           DrainSettings drain) {
    /**
     * Binds every section the core reads.
     *
     * @param config root configuration
     * @return the settings
     * @throws IllegalArgumentException when a setting is invalid; the message names it
     */
    public static CoreSettings from(Config config) {
        return new CoreSettings(SessionSettings.from(config), LimitSettings.from(config), ResumeSettings.from(config),
                                ReconnectSettings.from(config), DedupSettings.from(config),
                                HeartbeatSettings.from(config), RecoverySettings.from(config),
                                DrainSettings.from(config));
    }
}
