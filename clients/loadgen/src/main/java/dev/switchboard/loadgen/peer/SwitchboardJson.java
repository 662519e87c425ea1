package dev.switchboard.loadgen.peer;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;

/**
 * Switchboard's proto3 JSON for the hot path, written and read with Jackson (protobuf's JsonFormat is several
 * times slower per message, and the load generator shares the machine's two cores with the server).
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

    /**
     * Reads a ServerMessage (or, from the echo server, the ClientMessage sent): its sequence and its payload,
     * which is the one object-valued field.
     */
    static ServerEvent read(ByteBuf content) throws IOException {
        JsonNode root = JsonFrames.read(content);
        long sequence = root.path("sequence").asLong();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "offer":
                    return signal(sequence, SignalKind.OFFER, value.path("sdp").asText());
                case "answer":
                    return signal(sequence, SignalKind.ANSWER, value.path("sdp").asText());
                case "iceCandidate":
                    return signal(sequence, SignalKind.CANDIDATE, value.path("candidate").asText());
                case "ack":
                    return new ServerEvent(sequence, ServerEvent.Type.ACK, null, null,
                                           value.path("success").asBoolean());
                case "welcome":
                    return ServerEvent.of(sequence, ServerEvent.Type.WELCOME);
                case "roomJoined":
                    return ServerEvent.of(sequence, ServerEvent.Type.ROOM_JOINED);
                case "error":
                    return new ServerEvent(sequence, ServerEvent.Type.ERROR, null, value.toString(), false);
                default:
            }
        }
        return ServerEvent.of(sequence, ServerEvent.Type.OTHER);
    }

    private static ServerEvent signal(long sequence, SignalKind kind, String body) {
        return new ServerEvent(sequence, ServerEvent.Type.SIGNAL, kind, body, true);
    }
}
