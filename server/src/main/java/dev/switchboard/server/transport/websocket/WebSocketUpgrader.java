package dev.switchboard.server.transport.websocket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;

/**
 * Upgrades HTTP/1.1 requests to WebSocket (RFC 6455 4.2) at the paths the server serves, into
 * {@link WebSocketConnection}s. A request for another path is not upgraded (it is answered as HTTP: 404); a
 * malformed handshake gets 400. No extension or sub-protocol is negotiated.
 */
public final class WebSocketUpgrader implements Http1Upgrader {
    private static final HeaderName KEY = HeaderNames.create("Sec-WebSocket-Key");
    private static final HeaderName VERSION = HeaderNames.create("Sec-WebSocket-Version");
    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

    private final Map<String, WebSocketEndpoint> endpoints;

    WebSocketUpgrader(Map<String, WebSocketEndpoint> endpoints) {
        this.endpoints = Map.copyOf(endpoints);
    }

    @Override
    public String supportedProtocol() {
        return "websocket";
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        WebSocketEndpoint endpoint = endpoints.get(prologue.uriPath().path());
        if (endpoint == null) {
            return null;
        }
        String key = headers.first(KEY).orElseThrow(() -> badRequest("Sec-WebSocket-Key is required"));
        if (!"13".equals(headers.first(VERSION).orElse("13"))) {
            throw RequestException.builder()
                    .type(DirectHandler.EventType.BAD_REQUEST)
                    .message("Unsupported WebSocket version")
                    .header(HeaderValues.create(VERSION, "13"))
                    .build();
        }
        String accept = accept(key);
        WebSocketHandler handler = endpoint.accept(prologue, headers);
        ctx.dataWriter().writeNow(BufferData.create(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n")
                                                            .getBytes(StandardCharsets.US_ASCII)));
        return new WebSocketConnection(ctx, handler, endpoint.maxMessageBytes());
    }

    /** The handshake's answer to the client's nonce: base64(SHA-1(key + GUID)). */
    private static String accept(String key) {
        byte[] nonce;
        try {
            nonce = Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            throw badRequest("Sec-WebSocket-Key is not base64");
        }
        if (nonce.length != 16) {
            throw badRequest("Sec-WebSocket-Key must be 16 bytes, base64-encoded");
        }
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(key.trim().getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1.digest(GUID));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK provides SHA-1", e);
        }
    }

    private static RequestException badRequest(String why) {
        return RequestException.builder().type(DirectHandler.EventType.BAD_REQUEST).message(why).build();
    }
}
