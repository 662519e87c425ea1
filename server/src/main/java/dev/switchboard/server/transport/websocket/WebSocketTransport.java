package dev.switchboard.server.transport.websocket;

import dev.switchboard.server.auth.AllowedOrigins;
import dev.switchboard.server.signaling.SignalingCore;
import io.helidon.webserver.websocket.WsRouting;

/**
 * Routes the WebSocket endpoint to the core.
 */
public final class WebSocketTransport {
    /** Where browsers connect. */
    public static final String PATH = "/signaling";

    private WebSocketTransport() {
    }

    /**
     * @param core            the signaling core
     * @param maxMessageBytes {@code limits.max-message-bytes}
     * @param origins         the pages browsers may connect from
     * @return WebSocket routing with the {@link #PATH} endpoint, one listener per connection
     */
    public static WsRouting.Builder routing(SignalingCore core, int maxMessageBytes, AllowedOrigins origins) {
        FrameCodec codec = new FrameCodec();
        return WsRouting.builder().endpoint(PATH, () -> new SignalingWebSocket(core, codec, maxMessageBytes,
                                                                               origins));
    }
}
