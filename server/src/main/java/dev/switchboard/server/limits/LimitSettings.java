package dev.switchboard.server.limits;

import java.time.Duration;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * Bounds on what one client may send and hold ({@code limits.*}): anyone can open a socket to a signaling
 * server, so nothing a client sends may grow without bound.
 *
 * @param maxMessageBytes   largest WebSocket message or gRPC message; a larger one closes the connection
 * @param maxSdpBytes       largest offer or answer SDP (UTF-8 bytes)
 * @param maxCandidateBytes largest ICE candidate line
 * @param helloTimeout      a connection with no session this long after connecting is closed
 * @param rate              messages per second a session may send, sustained
 * @param burst             messages a session may send at once
 * @param peersPerRoom      members a room may have
 * @param roomsPerSession   rooms one session may be in
 * @param maxSessions       sessions the server holds at once (0 = no limit)
 */
public record LimitSettings(int maxMessageBytes,
                            int maxSdpBytes,
                            int maxCandidateBytes,
                            Duration helloTimeout,
                            double rate,
                            int burst,
                            int peersPerRoom,
                            int roomsPerSession,
                            int maxSessions) {
    /**
     * @throws IllegalArgumentException when the timeout is zero (a connection could then never say hello)
     */
    public LimitSettings {
        if (helloTimeout.isZero()) {
            throw new IllegalArgumentException("limits.hello-timeout must be positive");
        }
    }

    /**
     * Binds the {@code limits} section.
     *
     * @param config root configuration
     * @return the settings
     */
    public static LimitSettings from(Config config) {
        Config limits = config.get("limits");
        return new LimitSettings((int) ConfigValues.number(limits.get("max-message-bytes"), 1024, 16 << 20),
                                 (int) ConfigValues.number(limits.get("max-sdp-bytes"), 256, 16 << 20),
                                 (int) ConfigValues.number(limits.get("max-candidate-bytes"), 64, 1 << 20),
                                 ConfigValues.duration(limits.get("hello-timeout")),
                                 ConfigValues.decimal(limits.get("rate"), 0.1, 1e9),
                                 (int) ConfigValues.number(limits.get("burst"), 1, 1_000_000_000),
                                 (int) ConfigValues.number(limits.get("peers-per-room"), 2, 1_000_000),
                                 (int) ConfigValues.number(limits.get("rooms-per-session"), 1, 1_000_000),
                                 (int) ConfigValues.number(limits.get("max-sessions"), 0, 100_000_000));
    }
}
