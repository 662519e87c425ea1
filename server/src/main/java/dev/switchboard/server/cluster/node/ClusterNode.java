package dev.switchboard.server.cluster.node;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import dev.switchboard.cluster.v1.Delivery;
import dev.switchboard.cluster.v1.NodeEnvelope;
import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.cluster.v1.SessionReplaced;
import dev.switchboard.server.cluster.ClaimedSession;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterListener;
import dev.switchboard.server.cluster.ClusterMetrics;
import dev.switchboard.server.cluster.ClusterUnavailableException;
import dev.switchboard.server.cluster.JoinResult;
import dev.switchboard.server.cluster.Member;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.cluster.backend.ClusterBackend;
import dev.switchboard.server.cluster.backend.StoreOp;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;

/**
 * A node of a cluster: the protocol between nodes, over any {@link ClusterBackend}. Membership lives in the
 * backend's directory and is announced to the nodes of a room's other members, which keep it in memory for the
 * router; a message for a member on another node goes to that node's mailbox; sessions are mirrored into the
 * backend so that another node can resume them; heartbeats tell live nodes from dead ones.
 * <p>
 * Threads: callers only queue or start asynchronous work ({@link Outgoing} writes, the directory completes
 * later), except {@link #claim}, which waits on the backend on a resuming client's thread. The mailbox reader
 * applies other nodes' envelopes ({@link Inbound}); the heartbeat thread does what may wait ({@link NodeWatch}).
 */
public final class ClusterNode implements Cluster {
    private static final System.Logger LOG = System.getLogger("switchboard.cluster");

    private final String nodeId = UUID.randomUUID().toString();
    private final ClusterBackend backend;
    private final Outgoing outgoing;
    private final NodeWatch watch;
    private final Handovers handovers;
    private final Inbound inbound;
    private final Announce announce;
    private final String description;

    /**
     * @param backend     where the cluster's state lives; closed with this node
     * @param timings     heartbeat, timeouts and mirror cadence
     * @param metrics     where envelopes and failed writes are counted
     * @param description the backend, for the log line when the node joins
     */
    public ClusterNode(ClusterBackend backend, Timings timings, ClusterMetrics metrics, String description) {
        this.backend = backend;
        this.description = description;
        this.outgoing = new Outgoing(nodeId, backend, metrics, timings.mirrorInterval(), timings.nodeTimeout());
        this.announce = new Announce(nodeId, outgoing);
        this.watch = new NodeWatch(nodeId, backend, outgoing, announce, timings);
        this.handovers = new Handovers(nodeId, backend, outgoing, watch, announce, timings.nodeTimeout());
        this.inbound = new Inbound(nodeId, outgoing, handovers, backend.directory(), metrics);
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public boolean available() {
        if (!backend.available()) {
            // seen down, even between two heartbeats: the node writes its state again before it counts as back
            watch.unreachable("checking the connection", new IllegalStateException("the connection is down"));
            return false;
        }
        return watch.reachable();
    }

    @Override
    public int mirrorPending() {
        return outgoing.mirrorPending();
    }

    @Override
    public void start(ClusterListener listener) {
        inbound.listener(listener);
        handovers.listener(listener);
        watch.start(listener, handovers);
        outgoing.start();
        backend.mailboxes().read(nodeId, inbound, failure -> watch.unreachable("reading this node's mailbox",
                                                                                failure));
        LOG.log(INFO, "Cluster node " + nodeId + " joined through " + description);
    }

    @Override
    public CompletionStage<JoinResult> join(String roomId, Member member, int maxMembers) {
        RemotePeer self = here(member);
        return backend.directory().join(roomId, self, maxMembers).thenApply(members -> {
            if (members.isEmpty()) {
                return new JoinResult(false, List.of());
            }
            List<RemotePeer> others = members.get().stream().filter(peer -> !peer.nodeId().equals(nodeId)).toList();
            announce.joined(roomId, self, others);
            return new JoinResult(true, others);
        });
    }

    @Override
    public void left(String roomId, Member member, PeerLeftReason reason) {
        PendingLeave leave = new PendingLeave(roomId, here(member), reason);
        backend.directory().leave(roomId, leave.member()).whenComplete((remaining, failure) -> {
            if (failure != null) {
                watch.retryLater(leave, failure);
            } else {
                remaining.ifPresent(peers -> announce.left(roomId, leave.member(), reason, peers));
            }
        });
    }

    @Override
    public CompletionStage<Void> deliver(RemotePeer to, String roomId, ServerMessage message) {
        if (watch.dead(to.nodeId())) {
            // its node died: the message waits with the session, for the node that resumes it
            return outgoing.urgent(new StoreOp.Held(to.sessionId(), message));
        }
        return outgoing.envelope(to.nodeId(), NodeEnvelope.newBuilder().setDelivery(
                Delivery.newBuilder().setRoomId(roomId).setUserId(to.userId()).setSessionId(to.sessionId())
                        .setMessage(message)));
    }

    @Override
    public void sent(String sessionId, ServerMessage message, int replaySize) {
        outgoing.sent(sessionId, message, replaySize);
    }

    @Override
    public void opened(SessionRecord session) {
        CompletableFuture<Optional<RemotePeer>> replaced = new CompletableFuture<>();
        outgoing.mirror(new StoreOp.Opened(session, nodeId, replaced));
        replaced.thenAccept(previous -> previous
                .filter(older -> !older.nodeId().equals(nodeId) && !watch.dead(older.nodeId()))
                .ifPresent(older -> outgoing.envelope(older.nodeId(), NodeEnvelope.newBuilder().setSessionReplaced(
                        SessionReplaced.newBuilder().setUserId(session.getUserId())
                                .setSessionId(session.getSessionId())))));
    }

    @Override
    public void saved(String sessionId, Supplier<SessionRecord> record) {
        outgoing.saved(sessionId, record);
    }

    @Override
    public void ended(String sessionId, String resumeToken) {
        outgoing.mirror(new StoreOp.Removed(sessionId, resumeToken, nodeId));
    }

    @Override
    public Optional<ClaimedSession> claim(String resumeToken, String userId) throws ClusterUnavailableException {
        return handovers.claim(resumeToken, userId);
    }

    @Override
    public void moved(SessionRecord session, List<RemotePeer> peers) {
        announce.moved(session, peers);
        outgoing.saved(session.getSessionId(), () -> session);
    }

    @Override
    public void close() {
        watch.stop();
        outgoing.close();
        backend.close();
    }

    private RemotePeer here(Member member) {
        return new RemotePeer(member.userId(), member.sessionId(), nodeId, member.profile());
    }

    /**
     * A leave to write to the directory (again, when the backend was away).
     *
     * @param roomId the room
     * @param member the session that left, and its node
     * @param reason why, as its peers are told
     */
    record PendingLeave(String roomId, RemotePeer member, PeerLeftReason reason) {
    }

    /**
     * How a cluster node paces itself.
     *
     * @param heartbeatInterval how often it beats and looks for dead nodes
     * @param nodeTimeout       a node silent this long is dead; also how long a write or a hand-over may take
     * @param resumeWindow      how long after its node died a session stays resumable
     * @param mirrorInterval    how often the sessions' state is written
     */
    public record Timings(Duration heartbeatInterval, Duration nodeTimeout, Duration resumeWindow,
                          Duration mirrorInterval) {
    }
}
