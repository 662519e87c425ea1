package dev.switchboard.server.relay;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.reliability.dedup.Verdict;
import dev.switchboard.server.room.Rooms;
import dev.switchboard.server.routing.Recipient;
import dev.switchboard.server.routing.Router;
import dev.switchboard.server.session.Session;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;

/**
 * Relays offers, answers and ICE candidates between two members of one room, and acknowledges each to its
 * sender.
 * <p>
 * A signal is delivered only when sender and target are both members of the named room; the relayed copy's
 * {@code from_user_id} is always the sender's authenticated identity. Otherwise nothing is delivered and the
 * sender gets a failed {@code ack} and an {@code error} with the same code. A valid signal then passes the
 * session's duplicate detection: a duplicate or stale one is acknowledged as such and not relayed.
 * <p>
 * Where the target lives is the {@link Router}'s business. A delivery that completes later (the target is on
 * another node) is acknowledged once it completes, or refused without spending its sequence number when it
 * fails: the ack always means "will be delivered".
 */
public final class SignalRelay {
    private static final System.Logger LOG = System.getLogger("switchboard.relay");

    private final Rooms rooms;
    private final Router router;
    private final LimitSettings limits;
    private final SignalingMetrics metrics;

    /**
     * @param rooms   where the sender's membership is checked
     * @param router  where targets are found and reached
     * @param limits  bounds on ids and signal sizes
     * @param metrics counts relayed and dropped signals, and the relay's latency
     */
    public SignalRelay(Rooms rooms, Router router, LimitSettings limits, SignalingMetrics metrics) {
        this.rooms = rooms;
        this.router = router;
        this.limits = limits;
        this.metrics = metrics;
    }

    /**
     * Relays one signal.
     *
     * @param from       the sending session
     * @param message    a client message carrying an offer, answer or ICE candidate
     * @param receivedAt {@link System#nanoTime()} when its frame was received
     */
    public void relay(Session from, ClientMessage message, long receivedAt) {
        Signal signal = Signal.of(message).orElseThrow();
        Optional<Signal.Refusal> refusal = signal.refusal(limits);
        if (refusal.isPresent()) {
            refuse(from, signal, refusal.get().code(), refusal.get().detail());
            return;
        }
        if (rooms.member(signal.roomId(), from.userId()).orElse(null) != from) {
            refuse(from, signal, ErrorCode.ERROR_CODE_NOT_IN_ROOM, "you are not in room " + signal.roomId());
            return;
        }
        Optional<Recipient> target = signal.targetUserId().equals(from.userId()) ? Optional.empty()
                : router.find(signal.roomId(), signal.targetUserId());
        if (target.isEmpty()) {
            refuse(from, signal, ErrorCode.ERROR_CODE_PEER_NOT_FOUND,
                   signal.targetUserId() + " is not in room " + signal.roomId());
            return;
        }
        if (!target.get().reachable()) {
            refuse(from, signal, ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, signal.targetUserId()
                    + " is on another node, and the cluster backend is unavailable; re-send later");
            return;
        }
        Verdict verdict = signal.check(from.dedup(), receivedAt);
        if (verdict != Verdict.NEW) {
            dropped(from, signal, verdict == Verdict.DUPLICATE);
            return;
        }
        CompletableFuture<Void> delivered = target.get().deliver(signal.relayedFrom(from.userId()))
                .toCompletableFuture();
        if (delivered.isDone() && !delivered.isCompletedExceptionally()) {
            relayed(from, signal, receivedAt);      // the target lives here: the usual case, no callback
            return;
        }
        long sequence = message.getSequence();
        from.outbound().outcomePending(sequence);       // no range of acks may cover it until it is known
        delivered.whenComplete((ok, failure) -> {
            from.outbound().outcomeKnown(sequence);
            if (failure == null) {
                relayed(from, signal, receivedAt);
            } else {
                from.dedup().retract(message.getSequence());    // not relayed: its re-send must not be a duplicate
                refuse(from, signal, ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, signal.targetUserId()
                        + " is on another node, which could not be reached; re-send later");
            }
        });
    }

    private void relayed(Session from, Signal signal, long receivedAt) {
        metrics.signalRelayed(signal.kind(), receivedAt);
        ClientMessage message = signal.message();
        if (!from.outbound().relayedLater(message.getSequence())) {
            acknowledge(from, signal, Ack.newBuilder().setSuccess(true));
        }
        metrics.acknowledged("success");
        if (LOG.isLoggable(DEBUG)) {
            // DEBUG, not INFO: a line per signal is a synchronised console write per signal, which caps the
            // relay at a few thousand signals a second (measured by the benchmark)
            LOG.log(DEBUG, signal.label() + ": " + from.userId() + " -> " + signal.targetUserId() + " (room "
                    + signal.roomId() + ", sequence " + message.getSequence() + ", " + message.getSerializedSize()
                    + " bytes)");
        }
    }

    private void dropped(Session from, Signal signal, boolean duplicate) {
        metrics.signalDropped(signal.kind(), duplicate);
        acknowledge(from, signal, Ack.newBuilder().setDuplicate(duplicate).setStale(!duplicate));
        metrics.acknowledged(duplicate ? "duplicate" : "stale");
        LOG.log(INFO, signal.label() + (duplicate ? " duplication prevented: " : " superseded, not relayed: ")
                + from.userId() + " -> " + signal.targetUserId() + " (sequence " + signal.message().getSequence()
                + ")");
    }

    /**
     * Refuses a signal before looking at it (e.g. over the sender's rate): an ack carrying {@code code}, which
     * tells a numbering client what to re-send, and an error with the detail.
     *
     * @param from    the sending session
     * @param message a client message carrying an offer, answer or ICE candidate
     * @param code    why
     * @param detail  readable detail
     */
    public void refuse(Session from, ClientMessage message, ErrorCode code, String detail) {
        refuse(from, Signal.of(message).orElseThrow(), code, detail);
    }

    private void refuse(Session from, Signal signal, ErrorCode code, String detail) {
        acknowledge(from, signal, Ack.newBuilder().setSuccess(false).setErrorCode(code));
        metrics.acknowledged("refused");
        from.sendError(code, detail, signal.message().getRequestId());
        LOG.log(DEBUG, signal.label() + " refused: " + from.userId() + " -> " + signal.targetUserId() + ": " + detail);
    }

    private static void acknowledge(Session from, Signal signal, Ack.Builder ack) {
        ClientMessage message = signal.message();
        from.send(ServerMessage.newBuilder()
                          .setRequestId(message.getRequestId())
                          .setAck(ack.setKind(signal.kind())
                                          .setSequence(message.getSequence())
                                          .setRequestId(message.getRequestId())));
    }
}
