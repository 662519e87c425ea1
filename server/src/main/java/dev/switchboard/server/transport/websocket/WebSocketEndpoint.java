package dev.switchboard.server.transport.websocket;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;

/**
 * What the server serves over WebSocket at one path: {@code /signaling}, or another transport's endpoint that
 * rides on WebSocket framing (Engine.IO at {@code /socket.io/}).
 */
public interface WebSocketEndpoint {
    /**
     * Accepts an upgrade request at the endpoint's path.
     *
     * @param prologue the request line
     * @param headers  the request headers
     * @return the handler of the upgraded connection
     * @throws RequestException to refuse the upgrade with an HTTP status (e.g. 403 for a page not allowed)
     */
    WebSocketHandler accept(HttpPrologue prologue, Headers headers);

    /**
     * @return the largest message the endpoint takes, whole or reassembled
     */
    int maxMessageBytes();
}
