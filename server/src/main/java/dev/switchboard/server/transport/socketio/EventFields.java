package dev.switchboard.server.transport.socketio;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.IceRestartRequired;
import dev.switchboard.signaling.v1.IceServer;
import dev.switchboard.signaling.v1.MediaState;
import dev.switchboard.signaling.v1.Member;
import dev.switchboard.signaling.v1.NegotiationRole;
import dev.switchboard.signaling.v1.PeerJoined;
import dev.switchboard.signaling.v1.PeerLeft;
import dev.switchboard.signaling.v1.PeerMediaChanged;
import dev.switchboard.signaling.v1.RoomJoined;
import dev.switchboard.signaling.v1.Welcome;

/**
 * The fields of the old gateway's server events that carry more than a name or two, as {@link ServerEvents}
 * writes them into an event's object: the old names, nulls where the browser's own objects have them, and the
 * core's extra facts (roles, attempts, ICE servers) under names of their own that old code ignores.
 */
final class EventFields {
    /** The fields a user object of {@code joinedRoom} and {@code userJoined} has of its own. */
    private static final Set<String> OWN_FIELDS = Set.of("userId", "roomId", "polite");

    private EventFields() {
    }

    static void roomJoined(JsonGenerator json, RoomJoined joined, Welcome self) throws IOException {
        json.writeStringField("roomId", joined.getRoomId());
        json.writeObjectFieldStart("user");
        json.writeStringField("userId", self.getUserId());
        profile(json, self.getProfileMap());
        json.writeEndObject();
        json.writeArrayFieldStart("participants");
        for (Member member : joined.getMembersList()) {
            json.writeStartObject();
            json.writeStringField("userId", member.getUserId());
            json.writeBooleanField("polite", member.getRole() == NegotiationRole.NEGOTIATION_ROLE_POLITE);
            profile(json, member.getProfileMap());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeNumberField("totalParticipants", joined.getMembersCount() + 1);
    }

    static void peerJoined(JsonGenerator json, PeerJoined joined) throws IOException {
        json.writeStringField("userId", joined.getUserId());
        json.writeStringField("roomId", joined.getRoomId());
        json.writeBooleanField("polite", joined.getRole() == NegotiationRole.NEGOTIATION_ROLE_POLITE);
        profile(json, joined.getProfileMap());
    }

    /**
     * A user's profile fields beside its id, as the old gateway spread its token's user into the object; a field
     * named like one the event already has ({@link #OWN_FIELDS}) is left out rather than written twice.
     */
    private static void profile(JsonGenerator json, Map<String, String> profile) throws IOException {
        for (Map.Entry<String, String> field : profile.entrySet()) {
            if (!OWN_FIELDS.contains(field.getKey())) {
                json.writeStringField(field.getKey(), field.getValue());
            }
        }
    }

    static void peerLeft(JsonGenerator json, PeerLeft left) throws IOException {
        json.writeStringField("userId", left.getUserId());
        json.writeStringField("roomId", left.getRoomId());
        json.writeStringField("reason", label(left.getReason().name(), "PEER_LEFT_REASON_"));
    }

    /** An RTCIceCandidateInit: what the sender left out is null, as the browser's own toJSON() has it. */
    static void candidate(JsonGenerator json, IceCandidate candidate, long sequence) throws IOException {
        json.writeStringField("fromUserId", candidate.getFromUserId());
        json.writeObjectFieldStart("candidate");
        json.writeStringField("candidate", candidate.getCandidate());
        nullable(json, "sdpMid", candidate.getSdpMid());
        if (candidate.hasSdpMlineIndex()) {
            json.writeNumberField("sdpMLineIndex", candidate.getSdpMlineIndex());
        } else {
            json.writeNullField("sdpMLineIndex");
        }
        nullable(json, "usernameFragment", candidate.getUsernameFragment());
        json.writeEndObject();
        json.writeStringField("roomId", candidate.getRoomId());
        numbered(json, sequence);
    }

    static void iceRestart(JsonGenerator json, IceRestartRequired restart) throws IOException {
        json.writeStringField("targetUserId", restart.getTargetUserId());
        json.writeStringField("roomId", restart.getRoomId());
        json.writeNumberField("attempt", restart.getAttempt());
        json.writeNumberField("maxAttempts", restart.getMaxAttempts());
        json.writeStringField("reason", restart.getReason());
        iceServers(json, restart.getIceServersList());
    }

    /** Only what the member reported: a field it left out stays out. */
    static void media(JsonGenerator json, PeerMediaChanged changed) throws IOException {
        json.writeStringField("userId", changed.getUserId());
        json.writeStringField("roomId", changed.getRoomId());
        MediaState media = changed.getMedia();
        if (media.hasAudio()) {
            json.writeBooleanField("audio", media.getAudio());
        }
        if (media.hasVideo()) {
            json.writeBooleanField("video", media.getVideo());
        }
        if (media.hasScreen()) {
            json.writeBooleanField("screen", media.getScreen());
        }
    }

    /** The RTCIceServer objects an RTCConfiguration takes. */
    static void iceServers(JsonGenerator json, List<IceServer> servers) throws IOException {
        json.writeArrayFieldStart("iceServers");
        for (IceServer server : servers) {
            json.writeStartObject();
            json.writeArrayFieldStart("urls");
            for (String url : server.getUrlsList()) {
                json.writeString(url);
            }
            json.writeEndArray();
            if (!server.getUsername().isEmpty()) {
                json.writeStringField("username", server.getUsername());
                json.writeStringField("credential", server.getCredential());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** The server's sequence of the message in the receiver's stream, and an id made of it. */
    static void numbered(JsonGenerator json, long sequence) throws IOException {
        json.writeNumberField("sequence", sequence);
        json.writeStringField("messageId", Long.toString(sequence));
    }

    /** @return an enum constant's name without its prefix, in lower case: {@code ERROR_CODE_NOT_FOUND} is not_found */
    static String label(String name, String prefix) {
        return name.substring(Math.min(prefix.length(), name.length())).toLowerCase(Locale.ROOT);
    }

    private static void nullable(JsonGenerator json, String field, String value) throws IOException {
        if (value.isEmpty()) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, value);
        }
    }
}
