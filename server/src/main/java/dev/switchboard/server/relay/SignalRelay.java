package dev.switchboard.server.relay;

import java.util.Optional;

import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterUnavailableException;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.reliability.dedup.Verdict;
import dev.switchboard.server.room.RoomRegistry;
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
 * A target on another node (cluster mode) gets the signal through the cluster; the ack says success only once
 * the cluster holds it, and a failure there refuses it ({@code CLUSTER_UNAVAILABLE}) without spending its
 * sequence number.
 */
public final class SignalRelay {
    private static final System.Logger LOG = System.getLogger("switchboard.relay");

    private final RoomRegistry rooms;
    private final LimitSettings limits;
    private final SignalingMetrics metrics;
    private final Cluster cluster;

    /**
     * @param rooms   where members are looked up
     * @param limits  bounds on ids and signal sizes
     * @param metrics counts relayed and dropped signals, and the relay's latency
     * @param cluster reaches members on other nodes
     */
    public SignalRelay(RoomRegistry rooms, LimitSettings limits, SignalingMetrics metrics, Cluster cluster) {
        this.cluster = cluster;
        this.rooms = rooms;
        this.limits = limits;
        this.metrics = metrics;
    }

    /**
     * Relays one signal.
     *
     * @param from    the sending session
     * @param message    a client message carrying an offer, answer or ICE candidate
     * @param receivedAt {@link System#nanoTime()} when its frame was received
     */
    public void relay(Session from, ClientMessage message, long receivedAt) {
        Signal signal = Signal.of(message);
        Optional<Signal.Refusal> refusal = signal.refusal(limits);
        if (refusal.isPresent()) {
            refuse(from, signal, refusal.get().code(), refusal.get().detail());
            return;
        }
        if (rooms.member(signal.roomId(), from.userId()).orElse(null) != from) {
            refuse(from, signal, ErrorCode.ERROR_CODE_NOT_IN_ROOM,
                   "you are not in room " + signal.roomId());
            return;
        }
        Optional<Session> target = rooms.member(signal.roomId(), signal.targetUserId());
        Optional<RemotePeer> remote = target.isPresent() ? Optional.empty()
                : rooms.remoteMember(signal.roomId(), signal.targetUserId());
        if ((target.isEmpty() && remote.isEmpty()) || target.orElse(null) == from) {
            refuse(from, signal, ErrorCode.ERROR_CODE_PEER_NOT_FOUND,
                   signal.targetUserId() + " is not in room " + signal.roomId());
            return;
        }
        if (remote.isPresent() && !cluster.available()) {
            refuse(from, signal, ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, signal.targetUserId()
                    + " is on another node, and the cluster backend is unavailable; re-send later");
            return;
        }
        Verdict verdict = from.dedup().check(message, signal.roomId(), signal.targetUserId());
        if (verdict != Verdict.NEW) {
            boolean duplicate = verdict == Verdict.DUPLICATE;
            metrics.signalDropped(signal.kind(), duplicate);
            acknowledge(from, signal, Ack.newBuilder().setDuplicate(duplicate).setStale(!duplicate));
            LOG.log(INFO, signal.logName() + (duplicate ? " duplication prevented: " : " superseded, not relayed: ")
                    + from.userId() + " -> " + signal.targetUserId() + " (sequence " + message.getSequence() + ")");
            return;
        }
        if (target.isPresent()) {
            target.get().send(signal.relayedFrom(from.userId()));
        } else {
            try {
                cluster.deliver(remote.get(), signal.roomId(), signal.relayedFrom(from.userId()).build());
            } catch (ClusterUnavailableException e) {
                from.dedup().retract(message.getSequence());    // not relayed: its re-send must not be a duplicate
                refuse(from, signal, ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, signal.targetUserId()
                        + " is on another node, which could not be reached; re-send later");
                return;
            }
        }
        metrics.signalRelayed(signal.kind(), receivedAt);
        if (cluster.shared()) {
            // the processed sequence is on its way to Redis before the ack is: a node that resumes the sender
            // after this one dies knows the signal was relayed
            cluster.saved(from);
        }
        acknowledge(from, signal, Ack.newBuilder().setSuccess(true));
        if (LOG.isLoggable(DEBUG)) {
            // DEBUG, not INFO: a line per signal is a synchronised console write per signal, which caps the
            // relay at a few thousand signals a second (measured by the benchmark)
            LOG.log(DEBUG, signal.logName() + ": " + from.userId() + " -> " + signal.targetUserId() + " (room "
                           + signal.roomId() + ", sequence " + message.getSequence() + ", "
                           + message.getSerializedSize() + " bytes)");
        }
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
        refuse(from, Signal.of(message), code, detail);
    }

    private void refuse(Session from, Signal signal, ErrorCode code, String detail) {
        acknowledge(from, signal, Ack.newBuilder().setSuccess(false).setErrorCode(code));
        from.sendError(code, detail, signal.message().getRequestId());
        LOG.log(DEBUG, signal.logName() + " refused: " + from.userId() + " -> " + signal.targetUserId() + ": "
                + detail);
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
