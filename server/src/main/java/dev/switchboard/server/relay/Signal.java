package dev.switchboard.server.relay;

import dev.switchboard.signaling.v1.ClientMessage;
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
     * client put there.
     *
     * @param fromUserId the sender's authenticated user id
     * @return the relayed message, without a sequence number
     */
    ServerMessage.Builder relayedFrom(String fromUserId) {
        ServerMessage.Builder relayed = ServerMessage.newBuilder();
        return switch (kind) {
            case SIGNAL_KIND_OFFER -> relayed.setOffer(message.getOffer().toBuilder().setFromUserId(fromUserId));
            case SIGNAL_KIND_ANSWER -> relayed.setAnswer(message.getAnswer().toBuilder().setFromUserId(fromUserId));
            default -> relayed.setIceCandidate(message.getIceCandidate().toBuilder().setFromUserId(fromUserId));
        };
    }

    /**
     * @return what is missing or malformed, or null when the signal is well-formed
     */
    String problem() {
        if (roomId.isEmpty()) {
            return label() + ".room_id is required";
        }
        if (targetUserId.isEmpty()) {
            return label() + ".target_user_id is required";
        }
        return switch (kind) {
            case SIGNAL_KIND_OFFER -> message.getOffer().getSdp().isEmpty() ? "offer.sdp is required" : null;
            case SIGNAL_KIND_ANSWER -> message.getAnswer().getSdp().isEmpty() ? "answer.sdp is required" : null;
            default -> null;    // an empty candidate is the end-of-candidates marker
        };
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
