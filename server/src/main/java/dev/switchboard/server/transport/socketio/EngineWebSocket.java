package dev.switchboard.server.transport.socketio;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.switchboard.server.auth.AllowedOrigins;
import dev.switchboard.server.transport.gate.Admission;
import dev.switchboard.server.transport.websocket.WebSocketChannel;
import dev.switchboard.server.transport.websocket.WebSocketEndpoint;
import dev.switchboard.server.transport.websocket.WebSocketHandler;
import io.helidon.http.DirectHandler;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;

/**
 * Engine.IO's WebSocket transport at {@code /socket.io/}: one text frame per packet. Without {@code sid} it is a
 * connection of its own (the open packet is its first frame); with one it is the upgrade of a polling connection:
 * {@code 2probe} / {@code 3probe}, then {@code 5}, after which every packet travels on it. Binary frames (Socket.IO
 * attachments) are dropped.
 */
final class EngineWebSocket implements WebSocketEndpoint {
    private final EngineServer engines;
    private final SocketIoSettings settings;
    private final AllowedOrigins origins;

    EngineWebSocket(EngineServer engines, SocketIoSettings settings, AllowedOrigins origins) {
        this.engines = engines;
        this.settings = settings;
        this.origins = origins;
    }

    @Override
    public WebSocketHandler accept(HttpPrologue prologue, Headers headers) {
        WebSocketEndpoint.refuseOtherOrigins(origins, headers, "Engine.IO WebSocket");
        if (!"4".equals(prologue.query().first("EIO").orElse(""))) {
            throw refusal(DirectHandler.EventType.BAD_REQUEST, "Unsupported protocol version");
        }
        if (!"websocket".equals(prologue.query().first("transport").orElse(""))) {
            throw refusal(DirectHandler.EventType.BAD_REQUEST, "Transport unknown");
        }
        Optional<String> sid = prologue.query().first("sid").asOptional();
        if (sid.isPresent()) {
            EngineConnection engine = engines.find(sid.get())
                    .orElseThrow(() -> refusal(DirectHandler.EventType.BAD_REQUEST, "Session ID unknown"));
            return new Upgrade(engine);
        }
        return new Fresh(prologue.query().first("userId").orElse(""), Admission.current());
    }

    @Override
    public int maxMessageBytes() {
        return settings.maxPayload();
    }

    private static RequestException refusal(DirectHandler.EventType type, String message) {
        return RequestException.builder().type(type).message(message).build();
    }

    private static String text(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    /** An Engine.IO connection over WebSocket from its start. */
    private final class Fresh implements WebSocketHandler {
        private final String queryUserId;
        private final Optional<Admission> admission;
        private EngineConnection engine;

        Fresh(String queryUserId, Optional<Admission> admission) {
            this.queryUserId = queryUserId;
            this.admission = admission;
        }

        @Override
        public void opened(WebSocketChannel channel) {
            engine = engines.openWebSocket(queryUserId, admission);
            engine.useSocket(channel);
            engine.reply(engine.openPacket(false));
        }

        @Override
        public void message(byte[] bytes, int offset, int length, boolean binary) {
            if (binary) {
                engine.heard();
            } else {
                engine.receive(bytes, offset, length);
            }
        }

        @Override
        public void tooLarge() {
            engine.namespaces().tooLarge();
        }

        @Override
        public void closed() {
            engine.close("transport closed");
        }
    }

    /** The WebSocket that takes over a polling connection. */
    private static final class Upgrade implements WebSocketHandler {
        private final EngineConnection engine;
        private WebSocketChannel channel;
        private boolean upgraded;

        Upgrade(EngineConnection engine) {
            this.engine = engine;
        }

        @Override
        public void opened(WebSocketChannel socket) {
            channel = socket;
        }

        @Override
        public void message(byte[] bytes, int offset, int length, boolean binary) {
            if (binary) {
                engine.heard();
                return;
            }
            if (upgraded) {
                engine.receive(bytes, offset, length);
                return;
            }
            String packet = text(bytes, offset, length);
            if (packet.equals("2probe")) {
                engine.probe(channel);
            } else if (packet.equals("5")) {
                upgraded = engine.upgrade(channel);
                if (!upgraded) {
                    channel.close();
                }
            }
            // anything else before the upgrade is not the protocol's: ignored, polling still carries the packets
        }

        @Override
        public void tooLarge() {
            engine.namespaces().tooLarge();
        }

        @Override
        public void closed() {
            if (upgraded) {
                engine.close("transport closed");
            }
        }
    }
}
