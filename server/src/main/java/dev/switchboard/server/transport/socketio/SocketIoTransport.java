package dev.switchboard.server.transport.socketio;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import dev.switchboard.server.auth.AllowedOrigins;
import dev.switchboard.server.transport.SignalingPort;
import dev.switchboard.server.transport.websocket.WebSocketEndpoint;
import io.helidon.webserver.http.HttpRouting;

/**
 * The Socket.IO transport: Engine.IO v4 (HTTP long-polling, WebSocket, and the upgrade from one to the other) and
 * Socket.IO v5 at {@code /socket.io/}, so that the old gateway's browser code ({@code socket.io-client} 4.x on the
 * {@code /webrtc} namespace) signals through Switchboard unchanged, in the same rooms as every other transport.
 */
public final class SocketIoTransport {
    /** The transport's name, in logs and metric labels. */
    public static final String NAME = NamespaceSocket.TRANSPORT;
    /** Where Socket.IO clients connect (their default path). */
    public static final String PATH = "/socket.io/";

    private final EngineServer engines;
    private final SocketIoSettings settings;
    private final AllowedOrigins origins;

    private SocketIoTransport(EngineServer engines, SocketIoSettings settings, AllowedOrigins origins) {
        this.engines = engines;
        this.settings = settings;
        this.origins = origins;
    }

    /**
     * @param core           the signaling core
     * @param settings       the transport's settings
     * @param sequenceWindow {@code dedup.sequence-window}: how many old sequence numbers a client's are remembered
     * @param origins        the pages browsers may connect from
     * @param timers         the shared timer, which ticks each connection's pings
     * @return the transport
     */
    public static SocketIoTransport create(SignalingPort core, SocketIoSettings settings, int sequenceWindow,
                                           AllowedOrigins origins, ScheduledExecutorService timers) {
        return new SocketIoTransport(new EngineServer(core, settings, sequenceWindow, timers), settings, origins);
    }

    /**
     * @return the WebSocket endpoint, for the server's WebSocket upgrade
     */
    public Map<String, WebSocketEndpoint> webSocketEndpoints() {
        return Map.of(PATH, new EngineWebSocket(engines, settings, origins));
    }

    /**
     * Adds the long-polling endpoint.
     *
     * @param routing the server's HTTP routing
     */
    public void routing(HttpRouting.Builder routing) {
        routing.register("/socket.io", origins.cors(), new PollingEndpoint(engines, settings, origins));
    }

    /**
     * @return open Engine.IO connections, for a gauge
     */
    public int connections() {
        return engines.size();
    }
}
