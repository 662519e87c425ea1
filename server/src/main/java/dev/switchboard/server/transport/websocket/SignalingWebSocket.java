package dev.switchboard.server.transport.websocket;

import java.io.IOException;
import java.util.Optional;

import dev.switchboard.server.auth.AllowedOrigins;
import dev.switchboard.server.auth.BearerToken;
import dev.switchboard.server.transport.Connection;
import dev.switchboard.server.transport.MessageCodec;
import dev.switchboard.server.transport.SignalingPort;
import dev.switchboard.server.transport.gate.Admission;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;

/**
 * The signaling endpoint at {@code /signaling}: each text frame is the proto3 JSON of one
 * {@code ClientMessage}, each binary frame its protobuf encoding; decoded, it goes to the core, nothing more.
 */
final class SignalingWebSocket implements WebSocketEndpoint {
    private final SignalingPort core;
    private final int maxMessageBytes;
    private final AllowedOrigins origins;

    SignalingWebSocket(SignalingPort core, int maxMessageBytes, AllowedOrigins origins) {
        this.core = core;
        this.maxMessageBytes = maxMessageBytes;
        this.origins = origins;
    }

    /**
     * Refuses pages outside {@code security.allowed-origins} (403: no upgrade happens), and keeps the credential
     * of the upgrade request: an {@code Authorization: Bearer} header, or for browsers (which cannot set headers
     * on a WebSocket) an {@code access_token} query parameter.
     */
    @Override
    public WebSocketHandler accept(HttpPrologue prologue, Headers headers) {
        WebSocketEndpoint.refuseOtherOrigins(origins, headers, "WebSocket");
        Optional<String> token = BearerToken.of(headers.first(HeaderNames.AUTHORIZATION).orElse(null))
                .or(() -> prologue.query().first("access_token").asOptional().filter(value -> !value.isEmpty()));
        return new Socket(token);
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** One signaling connection. */
    private final class Socket implements WebSocketHandler {
        private final Optional<String> token;
        private WebSocketPeerLink link;
        private Connection connection;

        Socket(Optional<String> token) {
            this.token = token;
        }

        @Override
        public void opened(WebSocketChannel channel) {
            link = new WebSocketPeerLink(channel, token, Admission.current());
            connection = core.open(link);
        }

        @Override
        public void message(byte[] bytes, int offset, int length, boolean binary) {
            link.peerUsed(binary);
            try {
                connection.receive(binary ? MessageCodec.fromProtobuf(bytes, offset, length)
                                          : MessageCodec.fromJson(bytes, offset, length));
            } catch (IOException e) {
                connection.receiveMalformed("not a ClientMessage in " + (binary ? "protobuf" : "proto3 JSON")
                                                    + ": " + e.getMessage());
            }
        }

        @Override
        public void tooLarge() {
            connection.messageTooLarge(maxMessageBytes);
        }

        @Override
        public void closed() {
            connection.closed();
        }
    }
}
