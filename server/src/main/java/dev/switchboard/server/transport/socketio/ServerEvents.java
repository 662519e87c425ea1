package dev.switchboard.server.transport.socketio;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.switchboard.server.transport.JsonEscapes;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;

/**
 * The core's messages as the old gateway's server events ({@code offer}, {@code userJoined}, {@code offerAck}...),
 * each an Engine.IO message holding a Socket.IO EVENT packet, written as UTF-8 straight into the batch the writer
 * sends next ({@link PacketBuffer}), SDPs escaped from their UTF-8 bytes. Confined to the connection's outbox writer.
 */
final class ServerEvents {
    private static final JsonFactory JSON = new JsonFactory();

    private final String prefix;
    private final PacketBuffer out = new PacketBuffer();
    private final JsonEscapes escapes = new JsonEscapes();
    /** The generator of the batch under way; made on its first event, closed by {@link #clear}. */
    private JsonGenerator json;

    /**
     * @param namespace the namespace the events belong to
     */
    ServerEvents(String namespace) {
        this.prefix = "4" + SocketIoPacket.encode(SocketIoPacket.Type.EVENT, namespace, "");
    }

    /**
     * @param packet a whole Engine.IO packet, for the batch
     */
    void raw(String packet) {
        out.packet(packet);
    }

    /**
     * @return the packets encoded since the last {@link #clear}
     */
    PacketBuffer batch() {
        return out;
    }

    /** The batch was sent: its packets are forgotten, and the generator's buffers go back to the shared pool. */
    void clear() throws IOException {
        if (json != null) {
            json.close();
            json = null;
        }
        out.clear();
    }

    /** Writes one event's argument. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * @param message a message of the core, once the namespace is connected
     * @param self    the receiving session's welcome (its user and profile); the batch gets the Engine.IO packet
     *                the message becomes (none for what the old protocol has no event for)
     */
    void encode(ServerMessage message, Welcome self) throws IOException {
        switch (message.getPayloadCase()) {
            case ROOM_JOINED -> event("joinedRoom",
                                      json -> EventFields.roomJoined(json, message.getRoomJoined(), self));
            case PEER_JOINED -> event("userJoined", json -> EventFields.peerJoined(json, message.getPeerJoined()));
            case PEER_LEFT -> event("userLeft", json -> EventFields.peerLeft(json, message.getPeerLeft()));
            case ROOM_LEFT -> event("leftRoom", json -> {
                json.writeStringField("roomId", message.getRoomLeft().getRoomId());
                json.writeBooleanField("success", true);
            });
            case OFFER -> description("offer", message.getOffer().getFromUserId(),
                                      message.getOffer().getRoomId(), message.getOffer().getSdpBytes(), message);
            case ANSWER -> description("answer", message.getAnswer().getFromUserId(),
                                       message.getAnswer().getRoomId(), message.getAnswer().getSdpBytes(), message);
            case ICE_CANDIDATE -> event("iceCandidate",
                                        json -> EventFields.candidate(json, message.getIceCandidate(),
                                                                      message.getSequence()));
            case ACK -> ack(message.getAck());
            case ERROR -> error(message.getError());
            case ICE_RESTART_REQUIRED -> event("iceRestartRequired",
                                               json -> EventFields.iceRestart(json, message.getIceRestartRequired()));
            case ICE_RESTART_FAILED -> event("connectionFailed", json -> {
                json.writeStringField("targetUserId", message.getIceRestartFailed().getTargetUserId());
                json.writeStringField("roomId", message.getIceRestartFailed().getRoomId());
                json.writeStringField("reason", "max_restart_attempts");
                json.writeNumberField("attempts", message.getIceRestartFailed().getAttempts());
            });
            case ICE_SERVERS_UPDATED -> event("iceServersUpdated", json -> {
                EventFields.iceServers(json, message.getIceServersUpdated().getIceServersList());
                json.writeNumberField("expiresAtMs", message.getIceServersUpdated().getExpiresAtMs());
            });
            case GOING_AWAY -> event("goingAway", json -> {
                json.writeStringField("reason", message.getGoingAway().getReason());
                json.writeNumberField("reconnectAfterMs", message.getGoingAway().getReconnectAfterMs());
            });
            case PEER_MEDIA_CHANGED -> event("userMediaChanged",
                                             json -> EventFields.media(json, message.getPeerMediaChanged()));
            case WELCOME, PONG, AUTHENTICATED, ACK_RANGE, PAYLOAD_NOT_SET -> {
                // no old event: a welcome is the namespace's CONNECT answer (NamespaceSocket), and a Socket.IO
                // client sends no ping, authenticate or range-ack hello that the others would answer
            }
        }
    }

    /**
     * @param userId the session's user
     * Writes the {@code connected} event that follows the namespace's CONNECT answer.
     */
    void connected(String userId) throws IOException {
        event("connected", json -> json.writeStringField("userId", userId));
    }

    private void description(String type, String from, String roomId, ByteString sdp, ServerMessage message)
            throws IOException {
        event(type, json -> {
            json.writeStringField("fromUserId", from);
            json.writeObjectFieldStart("sdp");
            json.writeStringField("type", type);
            json.writeFieldName("sdp");
            escapes.escape(sdp);    // from its UTF-8 bytes: no string of the SDP is made on the way out
            json.writeRawUTF8String(escapes.bytes(), 0, escapes.length());
            json.writeEndObject();
            json.writeStringField("roomId", roomId);
            EventFields.numbered(json, message.getSequence());
        });
    }

    /** Offers and answers get {@code offerAck} / {@code answerAck}, as before; candidates had no ack event. */
    private void ack(Ack ack) throws IOException {
        String name = switch (ack.getKind()) {
            case SIGNAL_KIND_OFFER -> "offerAck";
            case SIGNAL_KIND_ANSWER -> "answerAck";
            case SIGNAL_KIND_ICE_CANDIDATE, SIGNAL_KIND_UNSPECIFIED, UNRECOGNIZED -> null;
        };
        if (name == null) {
            return;
        }
        String kind = name.substring(0, name.length() - 3);
        event(name, json -> {
            json.writeBooleanField("success", ack.getSuccess());
            if (ack.getRequestId().isEmpty()) {
                json.writeNullField("sequence");
            } else {
                json.writeNumberField("sequence", Long.parseLong(ack.getRequestId()));
            }
            if (ack.getDuplicate()) {
                json.writeStringField("reason", "duplicate_" + kind);
            } else if (ack.getStale()) {
                json.writeStringField("reason", "stale_" + kind);
            } else if (!ack.getSuccess()) {
                json.writeStringField("reason", EventFields.label(ack.getErrorCode().name(), "ERROR_CODE_"));
            }
        });
    }

    /**
     * @param error an error of the core
     * Writes the {@code error} event: the old gateway's code, the message, and Switchboard's own code.
     */
    void error(dev.switchboard.signaling.v1.Error error) throws IOException {
        event("error", json -> {
            json.writeStringField("code", ErrorCodes.legacy(error.getCode()));
            json.writeStringField("message", error.getMessage());
            json.writeStringField("switchboardCode", error.getCode().name());
        });
    }

    private void event(String name, Body body) throws IOException {
        if (json == null) {
            json = JSON.createGenerator(out);
            json.setRootValueSeparator(null);   // packets follow each other with nothing between them
        }
        json.writeRaw(prefix);
        json.writeStartArray();
        json.writeString(name);
        json.writeStartObject();
        body.write(json);
        json.writeEndObject();
        json.writeEndArray();
        json.flush();
        out.endPacket();
    }
}
