package dev.switchboard.server.transport.socketio;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.limits.Identifiers;
import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.IceConnectionState;
import dev.switchboard.signaling.v1.IceGatheringState;
import dev.switchboard.signaling.v1.Join;
import dev.switchboard.signaling.v1.Leave;
import dev.switchboard.signaling.v1.MediaState;
import dev.switchboard.signaling.v1.MediaUpdate;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.SignalKind;

/**
 * The old gateway's client events, as the core's messages: {@code joinRoom} is {@code join} (and a
 * {@code media_update} when it states audio or video), {@code offer} is {@code offer}, and so on. Only the shape is
 * checked here; what the values mean (ids, sizes, membership) the core checks as for any transport. Confined to the
 * connection's reader.
 */
final class ClientEvents {
    /** Request ids that tell the replies to these apart. */
    static final String JOIN = "joinRoom";
    static final String LEAVE = "leaveRoom";

    private final LegacySequences sequences;

    ClientEvents(LegacySequences sequences) {
        this.sequences = sequences;
    }

    /** What an event becomes: messages for the core, or a refusal for the client. */
    sealed interface Translation {
    }

    /** @param messages for the core, in order */
    record Messages(List<ClientMessage> messages) implements Translation {
    }

    /** @param reason why the event was refused: the client gets {@code error BAD_REQUEST} with it */
    record Refused(String reason) implements Translation {
    }

    /**
     * @param event the event packet's JSON array: its name, then its argument
     * @return what it becomes
     */
    Translation translate(JsonNode event) {
        if (!event.isArray() || event.isEmpty() || !event.get(0).isTextual()) {
            return new Refused("an event is a JSON array whose first element is its name");
        }
        String name = event.get(0).textValue();
        JsonNode data = event.size() > 1 ? event.get(1) : null;
        if (data == null || !data.isObject()) {
            return new Refused("event " + quoted(name) + " needs an object argument");
        }
        return switch (name) {
            case "joinRoom" -> join(data);
            case "leaveRoom" -> room(data).<Translation>map(roomId -> one(ClientMessage.newBuilder().setRequestId(LEAVE)
                    .setLeave(Leave.newBuilder().setRoomId(roomId)))).orElseGet(ClientEvents::noRoom);
            case "offer", "answer", "iceCandidate" -> signal(SignalEvent.of(name, data));
            case "connectionStateUpdate" -> states(data);
            case "toggleAudio" -> toggle(data, MediaState.newBuilder()::setAudio);
            case "toggleVideo" -> toggle(data, MediaState.newBuilder()::setVideo);
            case "toggleScreenShare" -> toggle(data, MediaState.newBuilder()::setScreen);
            default -> new Refused(name.toLowerCase(Locale.ROOT).contains("chat")
                    ? "chat is not signaling: Switchboard does not carry " + quoted(name) + " (see the README)"
                    : "unknown event " + quoted(name));
        };
    }

    private Translation join(JsonNode data) {
        Optional<String> roomId = room(data);
        if (roomId.isEmpty()) {
            return noRoom();
        }
        List<ClientMessage> messages = new ArrayList<>(2);
        messages.add(ClientMessage.newBuilder().setRequestId(JOIN)
                             .setJoin(Join.newBuilder().setRoomId(roomId.get())).build());
        MediaState.Builder media = MediaState.newBuilder();
        Json.flag(data, "audio").ifPresent(media::setAudio);
        Json.flag(data, "video").ifPresent(media::setVideo);
        if (media.hasAudio() || media.hasVideo()) {
            messages.add(media(roomId.get(), media));
        }
        return new Messages(messages);
    }

    /**
     * @param event an offer, answer or ICE candidate, read by the streaming parser or from the tree
     * @return the message for the core, or why it is refused
     */
    Translation signal(SignalEvent event) {
        String name = event.name();
        boolean candidate = name.equals("iceCandidate");
        if (event.roomId() == null || event.targetUserId() == null
                || (candidate ? event.candidate() == null : event.sdp() == null)) {
            return new Refused(candidate ? "iceCandidate needs roomId, targetUserId and candidate (an "
                    + "RTCIceCandidateInit)" : name + " needs roomId, targetUserId and sdp (a session description or "
                    + "its text)");
        }
        String target = event.targetUserId();
        // checked here, not only in the core: the old numbers are remembered per target (LegacySequences); the
        // field's name is built only for a refusal, as every signal passes here
        if (!Identifiers.wellFormed(target)) {
            return new Refused(Identifiers.problem(name + ".targetUserId", target).orElseThrow());
        }
        if (candidate) {
            SignalEvent.Candidate init = event.candidate();
            IceCandidate.Builder ice = IceCandidate.newBuilder().setRoomId(event.roomId()).setTargetUserId(target)
                    .setCandidate(init.candidate());
            if (init.sdpMid() != null) {
                ice.setSdpMid(init.sdpMid());
            }
            if (init.sdpMLineIndex() != null && init.sdpMLineIndex() < 1 << 16) {
                ice.setSdpMlineIndex(init.sdpMLineIndex().intValue());
            }
            if (init.usernameFragment() != null) {
                ice.setUsernameFragment(init.usernameFragment());
            }
            return one(numbered(event, SignalKind.SIGNAL_KIND_ICE_CANDIDATE).setIceCandidate(ice));
        }
        if (name.equals("offer")) {
            return one(numbered(event, SignalKind.SIGNAL_KIND_OFFER).setOffer(
                    Offer.newBuilder().setRoomId(event.roomId()).setTargetUserId(target).setSdp(event.sdp())));
        }
        return one(numbered(event, SignalKind.SIGNAL_KIND_ANSWER).setAnswer(
                Answer.newBuilder().setRoomId(event.roomId()).setTargetUserId(target).setSdp(event.sdp())));
    }

    /** The old sequence, when the client sent one, becomes a session sequence; it is echoed in the ack. */
    private ClientMessage.Builder numbered(SignalEvent event, SignalKind kind) {
        ClientMessage.Builder message = ClientMessage.newBuilder();
        Long legacy = event.sequence();
        if (legacy != null) {
            message.setSequence(sequences.sessionSequence(event.targetUserId(), kind, legacy))
                    .setRequestId(Long.toString(legacy));
        }
        return message;
    }

    private Translation states(JsonNode data) {
        Optional<String> roomId = room(data);
        Optional<String> target = Json.text(data, "targetUserId");
        if (roomId.isEmpty() || target.isEmpty()) {
            return new Refused("connectionStateUpdate needs roomId and targetUserId");
        }
        ConnectionStateUpdate.Builder update = ConnectionStateUpdate.newBuilder().setRoomId(roomId.get())
                .setTargetUserId(target.get());
        try {
            Json.text(data, "connectionState").ifPresent(state -> update.setConnectionState(
                    PeerConnectionState.valueOf("PEER_CONNECTION_STATE_" + upper(state))));
            Json.text(data, "iceConnectionState").ifPresent(state -> update.setIceConnectionState(
                    IceConnectionState.valueOf("ICE_CONNECTION_STATE_" + upper(state))));
            Json.text(data, "iceGatheringState").ifPresent(state -> update.setIceGatheringState(
                    IceGatheringState.valueOf("ICE_GATHERING_STATE_" + upper(state))));
        } catch (IllegalArgumentException e) {
            return new Refused("connectionStateUpdate carries a state that RTCPeerConnection does not have");
        }
        return one(ClientMessage.newBuilder().setConnectionStateUpdate(update));
    }

    private Translation toggle(JsonNode data, Function<Boolean, MediaState.Builder> set) {
        Optional<String> roomId = room(data);
        Optional<Boolean> enabled = Json.flag(data, "enabled");
        if (roomId.isEmpty() || enabled.isEmpty()) {
            return new Refused("a toggle needs roomId and enabled (true or false)");
        }
        return new Messages(List.of(media(roomId.get(), set.apply(enabled.get()))));
    }

    private static ClientMessage media(String roomId, MediaState.Builder media) {
        return ClientMessage.newBuilder().setMediaUpdate(MediaUpdate.newBuilder().setRoomId(roomId).setMedia(media))
                .build();
    }

    private static Optional<String> room(JsonNode data) {
        return Json.text(data, "roomId");
    }

    private static Translation noRoom() {
        return new Refused("roomId is required");
    }

    private static Translation one(ClientMessage.Builder message) {
        return new Messages(List.of(message.build()));
    }

    private static String upper(String state) {
        return state.length() > 16 ? "?" : state.toUpperCase(Locale.ROOT);
    }

    private static String quoted(String name) {
        return "'" + (name.length() > 40 ? name.substring(0, 40) + "..." : name) + "'";
    }
}
