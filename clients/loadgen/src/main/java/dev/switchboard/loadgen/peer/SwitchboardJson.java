package dev.switchboard.loadgen.peer;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import io.netty.buffer.ByteBuf;

/**
 * Switchboard's proto3 JSON for the hot path, written and read with Jackson's streaming API (protobuf's JsonFormat
 * is several times slower per message, and the load generator shares the machine's two cores with the server).
 */
final class SwitchboardJson {
    private SwitchboardJson() {
    }

    /** A ClientMessage carrying one signal. */
    static ByteBuf writeSignal(ByteBuf out, long sequence, long lastReceived, String roomId, SignalKind kind,
                               String target, String body) {
        return JsonFrames.write(out, "", json -> {
            json.writeStartObject();
            json.writeStringField("sequence", Long.toString(sequence));
            json.writeStringField("lastReceivedSequence", Long.toString(lastReceived));
            json.writeObjectFieldStart(switch (kind) {
                case OFFER -> "offer";
                case ANSWER -> "answer";
                case CANDIDATE -> "iceCandidate";
            });
            json.writeStringField("roomId", roomId);
            json.writeStringField("targetUserId", target);
            if (kind == SignalKind.CANDIDATE) {
                json.writeStringField("candidate", body);
                json.writeStringField("sdpMid", "0");
                json.writeNumberField("sdpMlineIndex", 0);
            } else {
                json.writeStringField("sdp", body);
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static final Set<String> WANTED = Set.of("offer.sdp", "answer.sdp", "iceCandidate.candidate",
                                                     "ack.success", "ack.sequence", "ackRange.firstSequence", "ackRange.lastSequence",
                                                     "error.code", "error.message",
                                                     "roomJoined.members.0.userId");

    /**
     * Reads a ServerMessage (or, from the echo server, the ClientMessage sent): its sequence and its payload,
     * which is the one object-valued field.
     */
    static ServerEvent read(ByteBuf content) throws IOException {
        Map<String, String> message = JsonFrames.read(content, WANTED);
        long sequence = Long.parseLong(message.getOrDefault("sequence", "0"));
        if (message.containsKey("offer")) {
            return ServerEvent.signal(sequence, SignalKind.OFFER, message.getOrDefault("offer.sdp", ""));
        } else if (message.containsKey("answer")) {
            return ServerEvent.signal(sequence, SignalKind.ANSWER, message.getOrDefault("answer.sdp", ""));
        } else if (message.containsKey("iceCandidate")) {
            return ServerEvent.signal(sequence, SignalKind.CANDIDATE,
                                      message.getOrDefault("iceCandidate.candidate", ""));
        } else if (message.containsKey("ack")) {
            return ServerEvent.ack(sequence, Boolean.parseBoolean(message.get("ack.success")),
                                   Long.parseLong(message.getOrDefault("ack.sequence", "0")));
        } else if (message.containsKey("ackRange")) {
            return ServerEvent.ackRange(sequence, Long.parseLong(message.getOrDefault("ackRange.firstSequence", "0")),
                                        Long.parseLong(message.getOrDefault("ackRange.lastSequence", "0")));
        } else if (message.containsKey("welcome")) {
            return ServerEvent.of(sequence, ServerEvent.Type.WELCOME);
        } else if (message.containsKey("roomJoined")) {
            return ServerEvent.roomJoined(sequence, message.containsKey("roomJoined.members.0.userId"));
        } else if (message.containsKey("peerJoined")) {
            return ServerEvent.of(sequence, ServerEvent.Type.PEER_JOINED);
        } else if (message.containsKey("error")) {
            return ServerEvent.error(sequence, message.get("error.code") + " " + message.get("error.message"));
        }
        return ServerEvent.of(sequence, ServerEvent.Type.OTHER);
    }
}
