package dev.switchboard.server.transport.websocket;

import java.util.HashMap;
import java.util.Map;

import dev.switchboard.server.auth.AllowedOrigins;
import dev.switchboard.server.transport.SignalingPort;
import io.helidon.webserver.http1.spi.Http1Upgrader;

/**
 * The WebSocket transport: the HTTP/1.1 upgrade to the server's WebSocket endpoints.
 */
public final class WebSocketTransport {
    /** The transport's name, in logs and metric labels. */
    public static final String NAME = "websocket";
    /** Where browsers connect for signaling. */
    public static final String PATH = "/signaling";

    private WebSocketTransport() {
    }

    /**
     * @param core            the signaling core
     * @param maxMessageBytes {@code limits.max-message-bytes}
     * @param origins         the pages browsers may connect from
     * @return the upgrade to add to the server's HTTP/1.1 connections
     */
    public static Http1Upgrader upgrader(SignalingPort core, int maxMessageBytes, AllowedOrigins origins) {
        return upgrader(core, maxMessageBytes, origins, Map.of());
    }

    /**
     * @param core            the signaling core
     * @param maxMessageBytes {@code limits.max-message-bytes}
     * @param origins         the pages browsers may connect from
     * @param others          other transports' endpoints that ride on WebSocket, by path
     * @return the upgrade to add to the server's HTTP/1.1 connections
     */
    public static Http1Upgrader upgrader(SignalingPort core, int maxMessageBytes, AllowedOrigins origins,
                                         Map<String, WebSocketEndpoint> others) {
        Map<String, WebSocketEndpoint> endpoints = new HashMap<>(others);
        endpoints.put(PATH, new SignalingWebSocket(core, maxMessageBytes, origins));
        return new WebSocketUpgrader(endpoints);
    }
}
