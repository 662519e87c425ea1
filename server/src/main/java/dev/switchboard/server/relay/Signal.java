package dev.switchboard.server.relay;

import java.util.Optional;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.switchboard.server.limits.Identifiers;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.limits.Utf8;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalKind;

/**
 * An offer, answer or ICE candidate in flight from one peer to another, with what the relay needs to know about
 * it regardless of its kind.
 *
 * @param kind         which kind of signal
 * @param roomId       the room both peers must be in
 * @param targetUserId the receiving peer
 * @param message      the client message carrying it
 */
record Signal(SignalKind kind, String roomId, String targetUserId, ClientMessage message) {

    /**
     * @param message a client message whose payload is an offer, answer or ICE candidate
     * @return the signal it carries
     */
    static Signal of(ClientMessage message) {
        return switch (message.getPayloadCase()) {
            case OFFER -> new Signal(SignalKind.SIGNAL_KIND_OFFER,
                                     message.getOffer().getRoomId(),
                                     message.getOffer().getTargetUserId(),
                                     message);
            case ANSWER -> new Signal(SignalKind.SIGNAL_KIND_ANSWER,
                                      message.getAnswer().getRoomId(),
                                      message.getAnswer().getTargetUserId(),
                                      message);
            case ICE_CANDIDATE -> new Signal(SignalKind.SIGNAL_KIND_ICE_CANDIDATE,
                                             message.getIceCandidate().getRoomId(),
                                             message.getIceCandidate().getTargetUserId(),
                                             message);
            default -> throw new IllegalArgumentException("not a signal: " + message.getPayloadCase());
        };
    }

    /**
     * The message the target receives: the same payload, with {@code from_user_id} set by the server whatever the
     * client put there, and only the fields the schema defines (the decoders drop unknown ones already; a relayed
     * payload must never carry a field that some client's decoder would read as another {@code from_user_id}).
     *
     * @param fromUserId the sender's authenticated user id
     * @return the relayed message, without a sequence number
     */
    ServerMessage.Builder relayedFrom(String fromUserId) {
        ServerMessage.Builder relayed = ServerMessage.newBuilder();
        UnknownFieldSet none = UnknownFieldSet.getDefaultInstance();
        // The SDP as UTF-8 bytes (the JDK's encoder, vectorised): protobuf then copies them where it would encode
        // the string a char at a time, for the size (replay buffer, queue bounds) and for each binary write.
        return switch (kind) {
            case SIGNAL_KIND_OFFER -> relayed.setOffer(
                    message.getOffer().toBuilder().setUnknownFields(none).setFromUserId(fromUserId)
                            .setSdpBytes(ByteString.copyFromUtf8(message.getOffer().getSdp())));
            case SIGNAL_KIND_ANSWER -> relayed.setAnswer(
                    message.getAnswer().toBuilder().setUnknownFields(none).setFromUserId(fromUserId)
                            .setSdpBytes(ByteString.copyFromUtf8(message.getAnswer().getSdp())));
            default -> relayed.setIceCandidate(
                    message.getIceCandidate().toBuilder().setUnknownFields(none).setFromUserId(fromUserId));
        };
    }

    /**
     * @param limits the server's bounds on ids and sizes
     * @return why the signal is refused before anything else is checked, or empty when it is well-formed
     */
    Optional<Refusal> refusal(LimitSettings limits) {
        Optional<String> badId = Identifiers.problem(label() + ".room_id", roomId)
                .or(() -> Identifiers.problem(label() + ".target_user_id", targetUserId));
        if (badId.isPresent()) {
            return badId.map(detail -> new Refusal(ErrorCode.ERROR_CODE_INVALID_MESSAGE, detail));
        }
        return switch (kind) {
            case SIGNAL_KIND_OFFER -> sdpRefusal("offer.sdp", message.getOffer().getSdp(), limits);
            case SIGNAL_KIND_ANSWER -> sdpRefusal("answer.sdp", message.getAnswer().getSdp(), limits);
            // an empty candidate is the end-of-candidates marker
            default -> tooLarge("ice_candidate.candidate", message.getIceCandidate().getCandidate(),
                                limits.maxCandidateBytes());
        };
    }

    private static Optional<Refusal> sdpRefusal(String field, String sdp, LimitSettings limits) {
        if (sdp.isEmpty()) {
            return Optional.of(new Refusal(ErrorCode.ERROR_CODE_INVALID_MESSAGE, field + " is required"));
        }
        return tooLarge(field, sdp, limits.maxSdpBytes());
    }

    private static Optional<Refusal> tooLarge(String field, String value, int maxBytes) {
        if (!Utf8.exceeds(value, maxBytes)) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(ErrorCode.ERROR_CODE_MESSAGE_TOO_LARGE,
                                       field + " is larger than " + maxBytes + " bytes"));
    }

    /** Why a signal was refused, as the sender is told. */
    record Refusal(ErrorCode code, String detail) {
    }

    /**
     * @return the name used in the lifecycle log lines: Offer, Answer, ICE
     */
    String logName() {
        return switch (kind) {
            case SIGNAL_KIND_OFFER -> "Offer";
            case SIGNAL_KIND_ANSWER -> "Answer";
            default -> "ICE";
        };
    }

    private String label() {
        return switch (kind) {
            case SIGNAL_KIND_OFFER -> "offer";
            case SIGNAL_KIND_ANSWER -> "answer";
            default -> "ice_candidate";
        };
    }
}
