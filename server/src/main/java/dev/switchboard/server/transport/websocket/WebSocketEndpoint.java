package dev.switchboard.server.transport.websocket;

import dev.switchboard.server.auth.AllowedOrigins;
import dev.switchboard.server.observe.LogText;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
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

    /**
     * Refuses an upgrade from a page outside {@code security.allowed-origins}: 403, and no upgrade happens (browsers
     * send any page's cookies with a WebSocket upgrade, and no CORS check stands in the way).
     *
     * @param origins  the pages allowed
     * @param headers  the upgrade request's headers
     * @param endpoint what is refused, for the log line
     * @throws RequestException 403 when the page is not allowed
     */
    static void refuseOtherOrigins(AllowedOrigins origins, Headers headers, String endpoint) {
        String origin = headers.first(HeaderNames.ORIGIN).orElse(null);
        if (!origins.permits(origin)) {
            System.getLogger("switchboard.websocket").log(System.Logger.Level.INFO, endpoint + " refused: origin "
                    + LogText.quote(origin) + " is not allowed");
            throw RequestException.builder()
                    .type(DirectHandler.EventType.FORBIDDEN)
                    .message("origin not allowed")
                    .build();
        }
    }
}
