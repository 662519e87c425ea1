package dev.switchboard.loadgen.peer;

import java.net.URI;
import java.util.Map;
import java.util.Set;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * A PeerJS client as the {@code peerjs} browser library speaks to the PeerJS server: a WebSocket at
 * {@code /peerjs?key=&id=&token=}, an {@code OPEN} message once registered, and {@code {type, src, dst, payload}}
 * messages the server forwards to {@code dst}. PeerJS has no rooms: ready means registered.
 */
public final class PeerJsPeer extends WebSocketPeer {
    private static final Set<String> WANTED = Set.of("type", "payload.sdp.sdp", "payload.candidate.candidate");

    public PeerJsPeer(EventLoop loop, int port, String userId, String roomId, PeerListener listener) {
        super(loop, URI.create("ws://127.0.0.1:" + port + "/peerjs?key=peerjs&id=" + userId + "&token=t" + userId),
              userId, roomId, listener);
    }

    @Override
    public void send(SignalKind kind, String targetUserId, long stamp) {
        String body = Payloads.body(kind, stamp);
        connection.sendText(JsonFrames.write(connection.buffer(body.length() + 200), "", json -> {
            json.writeStartObject();
            json.writeStringField("type", kind.name());
            json.writeStringField("src", userId);
            json.writeStringField("dst", targetUserId);
            json.writeObjectFieldStart("payload");
            if (kind == SignalKind.CANDIDATE) {
                json.writeObjectFieldStart("candidate");
                json.writeStringField("candidate", body);
                json.writeStringField("sdpMid", "0");
                json.writeNumberField("sdpMLineIndex", 0);
                json.writeEndObject();
            } else {
                json.writeObjectFieldStart("sdp");
                json.writeStringField("type", kind == SignalKind.OFFER ? "offer" : "answer");
                json.writeStringField("sdp", body);
                json.writeEndObject();
            }
            json.writeStringField("type", "data");
            json.writeStringField("connectionId", "dc_" + roomId);
            json.writeEndObject();
            json.writeEndObject();
        }));
    }

    @Override
    protected void frame(WebSocketFrame frame) throws Exception {
        Map<String, String> message = JsonFrames.read(frame.content(), WANTED);
        switch (message.getOrDefault("type", "")) {
            case "OPEN" -> ready.complete(null);
            case "OFFER" -> signal(SignalKind.OFFER, message.get("payload.sdp.sdp"));
            case "ANSWER" -> signal(SignalKind.ANSWER, message.get("payload.sdp.sdp"));
            case "CANDIDATE" -> signal(SignalKind.CANDIDATE, message.get("payload.candidate.candidate"));
            case "ERROR", "ID-TAKEN", "INVALID-KEY" -> listener.onProblem(this, message.toString());
            default -> {
            }
        }
    }

    private void signal(SignalKind kind, String body) {
        listener.onSignal(this, kind, Payloads.stampOf(kind, body));
    }
}
