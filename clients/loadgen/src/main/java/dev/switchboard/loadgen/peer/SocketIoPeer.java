package dev.switchboard.loadgen.peer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * The Socket.IO relay's client: joins with {@code join-room} and waits for its ack; signals are the
 * {@code offer}, {@code answer} and {@code ice-candidate} events of the relay (no sequence, no acks).
 */
public final class SocketIoPeer extends EngineIoPeer {
    private static final Set<String> WANTED = Set.of("0", "1.sdp.sdp", "1.candidate.candidate");

    public SocketIoPeer(EventLoop loop, int port, String userId, String roomId, PeerListener listener) {
        super(loop, port, userId, roomId, listener, false);
    }

    @Override
    public void send(SignalKind kind, String targetUserId, long stamp) {
        sendSignal("42", switch (kind) {
            case OFFER -> "offer";
            case ANSWER -> "answer";
            case CANDIDATE -> "ice-candidate";
        }, kind, targetUserId, 0, stamp);
    }

    @Override
    protected void engineOpened() {
        connection.sendText("40");
    }

    @Override
    protected void packet(char type, ByteBuf content) throws Exception {
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
}
