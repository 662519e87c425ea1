package dev.switchboard.server.transport;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.AckRange;
import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalKind;

/**
 * The proto3 JSON of the messages a relay sends most (offers, answers, ICE candidates, acks and ack ranges),
 * written field by field with Jackson's generator: the same bytes protobuf-jackson writes (a test compares them
 * over every field), without its per-message descriptor lookups, and with each SDP escaped from its UTF-8 bytes
 * in runs ({@link JsonEscapes}) where Jackson's generator reads the string a {@code charAt} at a time. Any other
 * message is not written here.
 */
final class RelayJson {
    private RelayJson() {
    }

    /**
     * Writes a message if it is one of the relay's.
     *
     * @return false when it is not (nothing was written): the caller writes it the general way
     */
    static boolean write(ServerMessage message, JsonGenerator json, JsonEscapes escapes) throws IOException {
        boolean relayed = switch (message.getPayloadCase()) {
            case OFFER, ANSWER, ICE_CANDIDATE, ACK, ACK_RANGE -> true;
            case WELCOME, ROOM_JOINED, PEER_JOINED, PEER_LEFT, ERROR, PONG, ROOM_LEFT, ICE_RESTART_REQUIRED,
                 ICE_RESTART_FAILED, AUTHENTICATED, ICE_SERVERS_UPDATED, GOING_AWAY, PEER_MEDIA_CHANGED,
                 PAYLOAD_NOT_SET -> false;
        };
        if (!relayed) {
            return false;
        }
        json.writeStartObject();
        uint64(json, "sequence", message.getSequence());
        string(json, "requestId", message.getRequestId());
        switch (message.getPayloadCase()) {
            case OFFER -> offer(json, message.getOffer(), escapes);
            case ANSWER -> answer(json, message.getAnswer(), escapes);
            case ICE_CANDIDATE -> candidate(json, message.getIceCandidate());
            case ACK -> ack(json, message.getAck());
            case ACK_RANGE -> range(json, message.getAckRange());
            default -> {
                // not reached: the switch above returned for every other kind
            }
        }
        json.writeEndObject();
        return true;
    }

    private static void offer(JsonGenerator json, Offer offer, JsonEscapes escapes) throws IOException {
        json.writeObjectFieldStart("offer");
        string(json, "roomId", offer.getRoomId());
        string(json, "targetUserId", offer.getTargetUserId());
        sdp(json, offer.getSdpBytes(), escapes);
        string(json, "fromUserId", offer.getFromUserId());
        json.writeEndObject();
    }

    private static void answer(JsonGenerator json, Answer answer, JsonEscapes escapes) throws IOException {
        json.writeObjectFieldStart("answer");
        string(json, "roomId", answer.getRoomId());
        string(json, "targetUserId", answer.getTargetUserId());
        sdp(json, answer.getSdpBytes(), escapes);
        string(json, "fromUserId", answer.getFromUserId());
        json.writeEndObject();
    }

    private static void candidate(JsonGenerator json, IceCandidate candidate) throws IOException {
        json.writeObjectFieldStart("iceCandidate");
        string(json, "roomId", candidate.getRoomId());
        string(json, "targetUserId", candidate.getTargetUserId());
        string(json, "candidate", candidate.getCandidate());
        string(json, "sdpMid", candidate.getSdpMid());
        if (candidate.hasSdpMlineIndex()) {
            json.writeNumberField("sdpMlineIndex", Integer.toUnsignedLong(candidate.getSdpMlineIndex()));
        }
        string(json, "usernameFragment", candidate.getUsernameFragment());
        string(json, "fromUserId", candidate.getFromUserId());
        json.writeEndObject();
    }

    private static void ack(JsonGenerator json, Ack ack) throws IOException {
        json.writeObjectFieldStart("ack");
        if (ack.getKind() != SignalKind.SIGNAL_KIND_UNSPECIFIED) {
            json.writeStringField("kind", ack.getKind().name());
        }
        uint64(json, "sequence", ack.getSequence());
        string(json, "requestId", ack.getRequestId());
        bool(json, "success", ack.getSuccess());
        bool(json, "duplicate", ack.getDuplicate());
        bool(json, "stale", ack.getStale());
        if (ack.getErrorCode() != ErrorCode.ERROR_CODE_UNSPECIFIED) {
            json.writeStringField("errorCode", ack.getErrorCode().name());
        }
        json.writeEndObject();
    }

    private static void range(JsonGenerator json, AckRange range) throws IOException {
        json.writeObjectFieldStart("ackRange");
        uint64(json, "firstSequence", range.getFirstSequence());
        uint64(json, "lastSequence", range.getLastSequence());
        json.writeEndObject();
    }

    /** An SDP, escaped from its UTF-8 bytes (proto3 strings are valid UTF-8). */
    private static void sdp(JsonGenerator json, ByteString sdp, JsonEscapes escapes) throws IOException {
        if (!sdp.isEmpty()) {
            json.writeFieldName("sdp");
            escapes.escape(sdp);
            json.writeRawUTF8String(escapes.bytes(), 0, escapes.length());
        }
    }

    private static void string(JsonGenerator json, String name, String value) throws IOException {
        if (!value.isEmpty()) {
            json.writeStringField(name, value);
        }
    }

    private static void uint64(JsonGenerator json, String name, long value) throws IOException {
        if (value != 0) {
            json.writeStringField(name, Long.toUnsignedString(value));
        }
    }

    private static void bool(JsonGenerator json, String name, boolean value) throws IOException {
        if (value) {
            json.writeBooleanField(name, true);
        }
    }
}
