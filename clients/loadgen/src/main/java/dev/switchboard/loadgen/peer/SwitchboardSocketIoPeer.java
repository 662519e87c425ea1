package dev.switchboard.loadgen.peer;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/**
 * The old gateway's browser code, as Switchboard's Socket.IO transport serves it: {@code socket.io-client} over the
 * WebSocket transport on namespace {@code /webrtc}, {@code joinRoom} then {@code joinedRoom}, the events
 * {@code offer}, {@code answer} and {@code iceCandidate} with the old per-peer, per-kind {@code sequence} (so that
 * every signal is numbered, deduplicated and acknowledged, as the guide's "optional enhancements" do).
 */
public final class SwitchboardSocketIoPeer extends EngineIoPeer {
    private static final String NAMESPACE = "/webrtc";
    private static final Set<String> WANTED = Set.of("0", "1.sdp.sdp", "1.candidate.candidate", "1.totalParticipants");

    private final Map<SignalKind, Map<String, Long>> sequences = new EnumMap<>(SignalKind.class);

    public SwitchboardSocketIoPeer(EventLoop loop, int port, String userId, String roomId, PeerListener listener) {
        super(loop, port, userId, roomId, listener, true);
    }

    @Override
    public void send(SignalKind kind, String targetUserId, long stamp) {
        long sequence = sequences.computeIfAbsent(kind, k -> new HashMap<>()).merge(targetUserId, 1L, Long::sum);
        sendSignal("42" + NAMESPACE + ",", switch (kind) {
            case OFFER -> "offer";
            case ANSWER -> "answer";
            case CANDIDATE -> "iceCandidate";
        }, kind, targetUserId, sequence, stamp);
    }

    @Override
    protected void engineOpened() {
        connection.sendText("40" + NAMESPACE + ",{\"userId\":\"" + userId + "\"}");
    }

    @Override
    protected void packet(char type, ByteBuf content) throws Exception {
        // past "/webrtc," to the payload
        content.readerIndex(content.readerIndex() + NAMESPACE.length() + 1);
        switch (type) {
            case '0' -> {
                connection.sendText("42" + NAMESPACE + ",[\"joinRoom\",{\"roomId\":\"" + roomId + "\"}]");
                connection.flush();
            }
            case '2' -> event(JsonFrames.read(content, WANTED));
            case '4', '1' -> listener.onProblem(this, "refused or disconnected by the server");
            default -> {
            }
        }
    }

    private void event(Map<String, String> event) {
        switch (event.getOrDefault("0", "")) {
            case "offer" -> signal(SignalKind.OFFER, event.get("1.sdp.sdp"));
            case "answer" -> signal(SignalKind.ANSWER, event.get("1.sdp.sdp"));
            case "iceCandidate" -> signal(SignalKind.CANDIDATE, event.get("1.candidate.candidate"));
            case "joinedRoom" -> {
                ready.complete(null);
                if (!"1".equals(event.get("1.totalParticipants"))) {
                    partnerKnown.complete(null);
                }
            }
            case "userJoined" -> partnerKnown.complete(null);
            case "error" -> listener.onProblem(this, "error event: " + event);
            default -> {
                // acks, media changes, connected: nothing to count
            }
        }
    }
}
