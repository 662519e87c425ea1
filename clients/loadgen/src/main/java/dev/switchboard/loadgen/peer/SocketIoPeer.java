package dev.switchboard.loadgen.peer;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * A Socket.IO v4 client over the WebSocket transport, as {@code socket.io-client} speaks it: Engine.IO packets
 * ({@code 0} open, {@code 2}/{@code 3} ping/pong, {@code 4} message) carrying Socket.IO packets ({@code 0}
 * connect, {@code 2} event, {@code 3} ack). Joins with {@code join-room} and waits for its ack; signals are the
 * {@code offer}, {@code answer} and {@code ice-candidate} events of the gateway Switchboard replaces.
 */
public final class SocketIoPeer extends WebSocketPeer {
    private static final Set<String> WANTED = Set.of("0", "1.sdp.sdp", "1.candidate.candidate");

    public SocketIoPeer(EventLoop loop, int port, String userId, String roomId, PeerListener listener) {
        super(loop, URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"),
              userId, roomId, listener);
    }

    @Override
    public void send(SignalKind kind, String targetUserId, long stamp) {
        String body = Payloads.body(kind, stamp);
        connection.sendText(JsonFrames.write(connection.buffer(body.length() + 120), "42", json -> {
            json.writeStartArray();
            json.writeString(switch (kind) {
                case OFFER -> "offer";
                case ANSWER -> "answer";
                case CANDIDATE -> "ice-candidate";
            });
            json.writeStartObject();
            json.writeStringField("roomId", roomId);
            json.writeStringField("targetUserId", targetUserId);
            if (kind == SignalKind.CANDIDATE) {
                json.writeObjectFieldStart("candidate");
                json.writeStringField("candidate", body);
                json.writeStringField("sdpMid", "0");
                json.writeNumberField("sdpMLineIndex", 0);
            } else {
                json.writeObjectFieldStart("sdp");
                json.writeStringField("type", kind == SignalKind.OFFER ? "offer" : "answer");
                json.writeStringField("sdp", body);
            }
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
        }));
    }

    @Override
    protected void frame(WebSocketFrame frame) throws Exception {
        ByteBuf content = frame.content();
        char engineIo = (char) content.readByte();
        switch (engineIo) {
            case '0' -> {
                connection.sendText("40");
                connection.flush();
            }
            case '2' -> {
                connection.sendText("3");
                connection.flush();
            }
            case '4' -> packet((char) content.readByte(), content);
            default -> {
            }
        }
    }

    private void packet(char type, ByteBuf content) throws Exception {
        switch (type) {
            case '0' -> {
                // connected to the namespace: join, asking for an ack (id 0)
                connection.sendText(JsonFrames.write(connection.buffer(96), "420", json -> {
                    json.writeStartArray();
                    json.writeString("join-room");
                    json.writeStartObject();
                    json.writeStringField("roomId", roomId);
                    json.writeStringField("userId", userId);
                    json.writeEndObject();
                    json.writeEndArray();
                }));
                connection.flush();
            }
            case '3' -> ready.complete(null);
            case '2' -> event(JsonFrames.read(content, WANTED));
            case '4' -> listener.onProblem(this, "connect error: " + content.toString(StandardCharsets.UTF_8));
            default -> {
            }
        }
    }

    private void event(Map<String, String> event) {
        switch (event.getOrDefault("0", "")) {
            case "offer" -> signal(SignalKind.OFFER, event.get("1.sdp.sdp"));
            case "answer" -> signal(SignalKind.ANSWER, event.get("1.sdp.sdp"));
            case "ice-candidate" -> signal(SignalKind.CANDIDATE, event.get("1.candidate.candidate"));
            default -> {
            }
        }
    }

    private void signal(SignalKind kind, String body) {
        listener.onSignal(this, kind, Payloads.stampOf(kind, body));
    }
}
