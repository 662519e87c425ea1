package dev.switchboard.server.cluster.node;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.switchboard.cluster.v1.Delivery;
import dev.switchboard.cluster.v1.NodeEnvelope;
import dev.switchboard.server.cluster.ClusterListener;
import dev.switchboard.server.cluster.ClusterMetrics;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.cluster.backend.Directory;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Applies the envelopes other nodes sent this one, on the mailbox's reader thread, each once and in the order its
 * sender numbered them: a number seen before is a duplicate and dropped; a gap is logged and counted as lost
 * (e.g. a batch that failed to write, or a backend that restarted), never hidden.
 */
final class Inbound implements Consumer<NodeEnvelope> {
    private static final System.Logger LOG = System.getLogger("switchboard.cluster");

    private final String nodeId;
    private final Outgoing outgoing;
    private final Handovers handovers;
    private final Directory directory;
    private final ClusterMetrics metrics;
    private final Map<String, Long> receivedFrom = new ConcurrentHashMap<>();
    private volatile ClusterListener listener;

    Inbound(String nodeId, Outgoing outgoing, Handovers handovers, Directory directory, ClusterMetrics metrics) {
        this.nodeId = nodeId;
        this.outgoing = outgoing;
        this.handovers = handovers;
        this.directory = directory;
        this.metrics = metrics;
    }

    void listener(ClusterListener events) {
        this.listener = events;
    }

    @Override
    public void accept(NodeEnvelope envelope) {
        if (!inOrder(envelope)) {
            return;
        }
        try {
            boolean applied = switch (envelope.getBodyCase()) {
                case DELIVERY -> deliver(envelope.getDelivery());
                case MEMBER_JOINED -> {
                    listener.memberJoined(envelope.getMemberJoined().getRoomId(),
                                          Peers.peer(envelope.getMemberJoined().getMember()));
                    yield true;
                }
                case MEMBER_LEFT -> {
                    listener.memberLeft(envelope.getMemberLeft().getRoomId(),
                                        Peers.peer(envelope.getMemberLeft().getMember()),
                                        envelope.getMemberLeft().getReason());
                    yield true;
                }
                case MEMBER_MOVED -> {
                    listener.memberMoved(envelope.getMemberMoved().getRoomIdsList(),
                                         Peers.peer(envelope.getMemberMoved().getMember()));
                    yield true;
                }
                case SESSION_CLAIM -> handovers.release(envelope.getSessionClaim(), envelope.getFromNodeId());
                case SESSION_RELEASED -> handovers.released(envelope.getSessionReleased());
                case SESSION_REPLACED -> {
                    listener.replaced(envelope.getSessionReplaced().getUserId(),
                                      envelope.getSessionReplaced().getSessionId());
                    yield true;
                }
                case BODY_NOT_SET -> {
                    LOG.log(WARNING, "An envelope without a body from node " + envelope.getFromNodeId());
                    yield false;
                }
            };
            if (!applied) {
                LOG.log(DEBUG, "Not applied here: a " + envelope.getBodyCase() + " from node "
                        + envelope.getFromNodeId());
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Could not apply a " + envelope.getBodyCase() + " from node " + envelope.getFromNodeId(),
                    e);
        }
    }

    /** A message for a session here; one for a session that moved on follows it, off this thread. */
    private boolean deliver(Delivery delivery) {
        if (listener.deliver(delivery.getRoomId(), delivery.getUserId(), delivery.getSessionId(),
                             delivery.getMessage())) {
            return true;
        }
        Thread.ofVirtual().name("switchboard-cluster-forward").start(() -> forward(delivery));
        return false;
    }

    /** A delivery for a session that no longer lives here goes on to where it lives now, if it still does. */
    private void forward(Delivery delivery) {
        try {
            Optional<RemotePeer> now = directory.members(delivery.getRoomId()).stream()
                    .filter(peer -> peer.userId().equals(delivery.getUserId()))
                    .findFirst()
                    .filter(peer -> peer.sessionId().equals(delivery.getSessionId()) && !peer.nodeId().equals(nodeId));
            if (now.isPresent()) {
                outgoing.envelope(now.get().nodeId(), NodeEnvelope.newBuilder().setDelivery(delivery));
                return;
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Could not forward a " + delivery.getMessage().getPayloadCase() + " for "
                    + delivery.getUserId() + ": " + e.getMessage());
            return;
        }
        metrics.envelopes("undeliverable", 1);
        LOG.log(INFO, "Dropped a " + delivery.getMessage().getPayloadCase() + " for " + delivery.getUserId()
                + ": its session " + delivery.getSessionId() + " has ended");
    }

    /** Whether to apply an envelope: its number must be new from its sender; a gap is logged. */
    private boolean inOrder(NodeEnvelope envelope) {
        long last = receivedFrom.getOrDefault(envelope.getFromNodeId(), 0L);
        if (envelope.getSequence() <= last) {
            metrics.envelopes("duplicate", 1);
            LOG.log(DEBUG, "Duplicate envelope " + envelope.getSequence() + " from node " + envelope.getFromNodeId()
                    + " dropped");
            return false;
        }
        if (envelope.getSequence() != last + 1 && last > 0) {
            metrics.envelopes("lost", envelope.getSequence() - last - 1);
            LOG.log(WARNING, (envelope.getSequence() - last - 1) + " envelopes from node "
                    + envelope.getFromNodeId() + " were lost (after " + last + ")");
        }
        receivedFrom.put(envelope.getFromNodeId(), envelope.getSequence());
        metrics.envelopes("received", 1);
        return true;
    }
}
