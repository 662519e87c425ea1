package dev.switchboard.server.transport.socketio;

import java.time.Duration;

import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.reliability.heartbeat.HeartbeatSettings;
import io.helidon.config.Config;

/**
 * The Socket.IO transport's settings ({@code socketio.*}), with what it takes from the heartbeat and the limits.
 *
 * @param enabled           whether {@code /socket.io/} is served
 * @param namespace         the namespace that carries signaling, e.g. {@code /webrtc}
 * @param leaveOnDisconnect end a client's session when its Engine.IO connection closes (its peers see
 *                          {@code userLeft} at once, as with the old gateway); false: keep it for the resume
 *                          window like any other transport's, though a Socket.IO client never resumes it
 * @param pingInterval      how often the server sends an Engine.IO ping ({@code heartbeat.interval})
 * @param pingTimeout       how long after a ping a client may stay silent ({@code heartbeat.timeout} minus the
 *                          interval), so that a connection silent for {@code heartbeat.timeout} is dropped
 * @param maxPayload        the largest packet, or polling request body, taken ({@code limits.max-message-bytes})
 * @param connectTimeout    how long an Engine.IO connection may go without a connected namespace
 *                          ({@code limits.hello-timeout})
 * @param pendingPerAddress Engine.IO connections one address may hold without a connected namespace
 *                          ({@code limits.pending-connections-per-address})
 */
public record SocketIoSettings(boolean enabled,
                               String namespace,
                               boolean leaveOnDisconnect,
                               Duration pingInterval,
                               Duration pingTimeout,
                               int maxPayload,
                               Duration connectTimeout,
                               int pendingPerAddress) {
    /**
     * @param enabled           see the record
     * @param namespace         see the record
     * @param leaveOnDisconnect see the record
     * @param pingInterval      see the record
     * @param pingTimeout       see the record
     * @param maxPayload        see the record
     * @param connectTimeout    see the record
     * @param pendingPerAddress see the record
     */
    public SocketIoSettings {
        if (!namespace.startsWith("/") || namespace.length() < 2 || namespace.contains(",")
                || namespace.length() > 64) {
            throw new IllegalArgumentException("socketio.namespace must start with '/', name something, hold no ','"
                                                       + " and be at most 64 characters, but is '" + namespace + "'");
        }
    }

    /**
     * Binds the {@code socketio} section.
     *
     * @param config    root configuration
     * @param heartbeat the heartbeat settings
     * @param limits    the limits
     * @return the settings
     */
    public static SocketIoSettings from(Config config, HeartbeatSettings heartbeat, LimitSettings limits) {
        Config section = config.get("socketio");
        return new SocketIoSettings(section.get("enabled").asBoolean().orElse(true),
                                    section.get("namespace").exists()
                                            ? ConfigValues.string(section.get("namespace")) : "/webrtc",
                                    section.get("leave-on-disconnect").asBoolean().orElse(true),
                                    heartbeat.interval(),
                                    heartbeat.timeout().minus(heartbeat.interval()),
                                    limits.maxMessageBytes(),
                                    limits.helloTimeout(),
                                    limits.pendingPerAddress());
    }
}
