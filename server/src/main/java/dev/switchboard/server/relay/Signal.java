package dev.switchboard.server.relay;

import java.util.Optional;

import com.google.protobuf.UnknownFieldSet;
import dev.switchboard.server.limits.Identifiers;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.limits.Utf8;
import dev.switchboard.server.reliability.dedup.SignalDeduplicator;
import dev.switchboard.server.reliability.dedup.Verdict;
import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalKind;

/**
 * An offer, answer or ICE candidate in flight from one peer to another. A sealed type: adding a kind of signal
 * fails compilation in every switch over it until the switch handles the new kind.
 */
sealed interface Signal permits Signal.OfferSignal, Signal.AnswerSignal, Signal.CandidateSignal {
    /**
     * @param message a client message
     * @return the signal it carries, if its payload is one
     */
    static Optional<Signal> of(ClientMessage message) {
        return Optional.ofNullable(switch (message.getPayloadCase()) {
            case OFFER -> new OfferSignal(message, message.getOffer());
            case ANSWER -> new AnswerSignal(message, message.getAnswer());
            case ICE_CANDIDATE -> new CandidateSignal(message, message.getIceCandidate());
            case HELLO, JOIN, LEAVE, CONNECTION_STATE_UPDATE, PING, BYE, AUTHENTICATE, MEDIA_UPDATE, PAYLOAD_NOT_SET -> null;
        });
    }

    /**
     * @return the client message carrying it
     */
    ClientMessage message();

    /**
     * @return the room both peers must be in
     */
    String roomId();

    /**
     * @return the receiving peer
     */
    String targetUserId();

    /**
     * @return the kind, as acks name it
     */
    default SignalKind kind() {
        return switch (this) {
            case OfferSignal offer -> SignalKind.SIGNAL_KIND_OFFER;
            case AnswerSignal answer -> SignalKind.SIGNAL_KIND_ANSWER;
            case CandidateSignal candidate -> SignalKind.SIGNAL_KIND_ICE_CANDIDATE;
        };
    }

    /**
     * @return the name in log lines and in the fields errors name: offer, answer, ice_candidate
     */
    default String label() {
        return switch (this) {
            case OfferSignal offer -> "offer";
            case AnswerSignal answer -> "answer";
            case CandidateSignal candidate -> "ice_candidate";
        };
    }

    /**
     * The message the target receives: the same payload, with {@code from_user_id} set by the server whatever the
     * client put there, and only the fields the schema defines (the decoders drop unknown ones already; a relayed
     * payload must never carry a field that some client's decoder would read as another {@code from_user_id}).
     * An SDP travels as UTF-8 bytes (the JDK's encoder, vectorised): protobuf then copies them where it would
     * encode a string a char at a time, for the size (replay buffer, queue bounds) and for each binary write. The
     * builder's {@code getSdpBytes()} encodes the decoded string and keeps the bytes in the field; {@code
     * setSdpBytes} would check again that bytes just encoded from a string are UTF-8 (2% of a relay's CPU).
     *
     * @param fromUserId the sender's authenticated user id
     * @return the relayed message, without a sequence number
     */
    default ServerMessage.Builder relayedFrom(String fromUserId) {
        ServerMessage.Builder relayed = ServerMessage.newBuilder();
        UnknownFieldSet none = UnknownFieldSet.getDefaultInstance();
        return switch (this) {
            case OfferSignal(ClientMessage message, Offer offer) -> {
                Offer.Builder copy = offer.toBuilder().setUnknownFields(none).setFromUserId(fromUserId);
                copy.getSdpBytes();
                yield relayed.setOffer(copy);
            }
            case AnswerSignal(ClientMessage message, Answer answer) -> {
                Answer.Builder copy = answer.toBuilder().setUnknownFields(none).setFromUserId(fromUserId);
                copy.getSdpBytes();
                yield relayed.setAnswer(copy);
            }
            case CandidateSignal(ClientMessage message, IceCandidate candidate) -> relayed.setIceCandidate(
                    candidate.toBuilder().setUnknownFields(none).setFromUserId(fromUserId));
        };
    }

    /**
     * Duplicate and staleness detection of the sender's session, which records the signal.
     *
     * @param dedup    the sender's
     * @param nowNanos a {@link System#nanoTime()} reading
     * @return what to do with it
     */
    default Verdict check(SignalDeduplicator dedup, long nowNanos) {
        long sequence = message().getSequence();
        return switch (this) {
            case OfferSignal(ClientMessage message, Offer offer) ->
                    dedup.offer(sequence, offer, roomId(), targetUserId(), offer.getSdp(), nowNanos);
            case AnswerSignal(ClientMessage message, Answer answer) ->
                    dedup.answer(sequence, answer, roomId(), targetUserId(), answer.getSdp(), nowNanos);
            case CandidateSignal(ClientMessage message, IceCandidate candidate) -> dedup.candidate(
                    sequence, candidate, roomId(), targetUserId(), candidate.getUsernameFragment(), nowNanos);
        };
    }

    /**
     * @param limits the server's bounds on ids and sizes
     * @return why the signal is refused before anything else is checked, or empty when it is well-formed
     */
    default Optional<Refusal> refusal(LimitSettings limits) {
        if (!Identifiers.wellFormed(roomId()) || !Identifiers.wellFormed(targetUserId())) {
            // the field names are built only for the refusal: every relayed signal passes here
            return Identifiers.problem(label() + ".room_id", roomId())
                    .or(() -> Identifiers.problem(label() + ".target_user_id", targetUserId()))
                    .map(detail -> new Refusal(ErrorCode.ERROR_CODE_INVALID_MESSAGE, detail));
        }
        return switch (this) {
            case OfferSignal(ClientMessage message, Offer offer) -> Refusal.sdp("offer.sdp", offer.getSdp(), limits);
            case AnswerSignal(ClientMessage message, Answer answer) ->
                    Refusal.sdp("answer.sdp", answer.getSdp(), limits);
            // an empty candidate is the end-of-candidates marker
            case CandidateSignal(ClientMessage message, IceCandidate candidate) -> Refusal.tooLarge(
                    "ice_candidate.candidate", candidate.getCandidate(), limits.maxCandidateBytes());
        };
    }

    /** An offer. */
    record OfferSignal(ClientMessage message, Offer offer) implements Signal {
        @Override
        public String roomId() {
            return offer.getRoomId();
        }

        @Override
        public String targetUserId() {
            return offer.getTargetUserId();
        }
    }

    /** An answer. */
    record AnswerSignal(ClientMessage message, Answer answer) implements Signal {
        @Override
        public String roomId() {
            return answer.getRoomId();
        }

        @Override
        public String targetUserId() {
            return answer.getTargetUserId();
        }
    }

    /** A trickled ICE candidate. */
    record CandidateSignal(ClientMessage message, IceCandidate candidate) implements Signal {
        @Override
        public String roomId() {
            return candidate.getRoomId();
        }

        @Override
        public String targetUserId() {
            return candidate.getTargetUserId();
        }
    }

    /**
     * Why a signal was refused, as the sender is told.
     *
     * @param code   the error code
     * @param detail readable detail
     */
    record Refusal(ErrorCode code, String detail) {
        static Optional<Refusal> sdp(String field, String sdp, LimitSettings limits) {
            if (sdp.isEmpty()) {
                return Optional.of(new Refusal(ErrorCode.ERROR_CODE_INVALID_MESSAGE, field + " is required"));
            }
            return tooLarge(field, sdp, limits.maxSdpBytes());
        }

        static Optional<Refusal> tooLarge(String field, String value, int maxBytes) {
            if (!Utf8.exceeds(value, maxBytes)) {
                return Optional.empty();
            }
            return Optional.of(new Refusal(ErrorCode.ERROR_CODE_MESSAGE_TOO_LARGE,
                                           field + " is larger than " + maxBytes + " bytes"));
        }
    }
}
