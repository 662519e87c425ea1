package dev.switchboard.server.cluster.node;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.switchboard.server.cluster.ClusterListener;
import dev.switchboard.server.cluster.LocalSession;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.cluster.SessionKey;
import dev.switchboard.server.cluster.backend.ClusterBackend;
import dev.switchboard.server.cluster.backend.Directory;
import dev.switchboard.server.cluster.backend.SessionStore;
import dev.switchboard.server.cluster.backend.StoreOp;
import dev.switchboard.signaling.v1.PeerLeftReason;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The node's heartbeat, on a thread of its own (it waits on the backend, which must never delay the core's
 * timers): it tells the backend this node lives, learns which nodes are dead, writes this node's state again when
 * the backend lost it or missed writes, keeps the stored sessions from expiring, retries what failed while the
 * backend was away, and reaps nodes that stayed dead past the resume window: their members leave their rooms
 * ({@code peer_left} TIMEOUT) and their sessions can no longer be resumed.
 */
final class NodeWatch {
    private static final System.Logger LOG = System.getLogger("switchboard.cluster");
    /** Each heartbeat refreshes one slice of the sessions' expiry: every session once per this many beats. */
    private static final int TOUCH_SLICES = 60;

    private final String nodeId;
    private final ClusterBackend backend;
    private final Outgoing outgoing;
    private final Announce announce;
    private final ClusterNode.Timings timings;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("switchboard-cluster-heartbeat").daemon().factory());
    private final ConcurrentLinkedQueue<ClusterNode.PendingLeave> pendingLeaves = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<SessionStore.StoredSession> pendingClaims = new ConcurrentLinkedQueue<>();
    private volatile Set<String> dead = Set.of();
    private volatile boolean reachable = true;
    private volatile ClusterListener listener;
    private volatile Handovers handovers;
    private long beats;

    NodeWatch(String nodeId, ClusterBackend backend, Outgoing outgoing, Announce announce,
              ClusterNode.Timings timings) {
        this.nodeId = nodeId;
        this.backend = backend;
        this.outgoing = outgoing;
        this.announce = announce;
        this.timings = timings;
    }

    void start(ClusterListener events, Handovers claims) {
        this.listener = events;
        this.handovers = claims;
        long interval = timings.heartbeatInterval().toMillis();
        thread.scheduleWithFixedDelay(this::beat, 0, interval, TimeUnit.MILLISECONDS);
    }

    void stop() {
        thread.shutdownNow();
    }

    /**
     * @param node a node
     * @return whether it was silent past the node timeout at the last heartbeat (a node not known then counts as
     *         live: it may have started since)
     */
    boolean dead(String node) {
        return dead.contains(node);
    }

    /**
     * @return whether the backend answered the last heartbeat
     */
    boolean reachable() {
        return reachable;
    }

    /** A leave the backend did not take: done again once it is back. */
    void retryLater(ClusterNode.PendingLeave leave, Throwable failure) {
        pendingLeaves.add(leave);
        reachable = false;      // the next heartbeat that reaches the backend retries it
        LOG.log(WARNING, "Leave of " + leave.member().userId() + " from room " + leave.roomId()
                + " kept until the cluster backend is back: " + failure.getMessage());
    }

    /** A session this node took over whose ownership the backend did not record: recorded once it is back. */
    void claimLater(SessionStore.StoredSession session, RuntimeException failure) {
        pendingClaims.add(session);
        reachable = false;      // the next heartbeat that reaches the backend records it
        LOG.log(WARNING, "Session " + session.record().getSessionId() + " was handed over, but the cluster backend "
                + "did not record it: it lives here, and is recorded once the backend is back (" + failure + ")");
    }

    void unreachable(String what, RuntimeException failure) {
        if (reachable) {
            LOG.log(WARNING, "Cluster backend unreachable while " + what + ": " + failure.getMessage()
                    + "; joins and cross-node signals are refused until it is back");
        }
        reachable = false;
    }

    private void beat() {
        try {
            boolean known = backend.nodes().beat(nodeId, timings.nodeTimeout());
            dead = Set.copyOf(backend.nodes().silent(timings.nodeTimeout()));
            boolean recovered = !reachable;
            if (!known || recovered || outgoing.takeStale()) {
                rewrite(!known);
            }
            reachable = true;   // after the rewrite is queued: available means this node's state is on its way
            touch();
            reapDeadNodes();
        } catch (RuntimeException e) {
            unreachable("heart-beating", e);
        }
    }

    /** Writes this node's sessions and memberships again, then what failed meanwhile. */
    private void rewrite(boolean lost) {
        List<LocalSession> sessions = listener.localSessions();
        sessions.forEach(session -> outgoing.mirror(new StoreOp.Rewritten(session, nodeId)));
        ClusterNode.PendingLeave leave;
        while ((leave = pendingLeaves.peek()) != null) {
            lateLeave(leave);
            pendingLeaves.poll();
        }
        SessionStore.StoredSession claim;
        while ((claim = pendingClaims.peek()) != null) {
            handovers.recordOwnership(claim);
            pendingClaims.poll();
        }
        LOG.log(INFO, "Cluster backend " + (lost ? "had lost this node's state" : "is reachable again")
                + ": rewrote " + sessions.size() + " sessions");
    }

    /**
     * A leave done late: the remaining members' nodes are told even when the backend no longer had the member
     * (it restarted empty), as they may still hold it.
     */
    private void lateLeave(ClusterNode.PendingLeave leave) {
        Optional<List<RemotePeer>> remaining = await(backend.directory().leave(leave.roomId(), leave.member())
                                                            .toCompletableFuture());
        announce.left(leave.roomId(), leave.member(), leave.reason(),
                      remaining.orElseGet(() -> backend.directory().members(leave.roomId())));
    }

    private void touch() {
        long slice = beats++ % TOUCH_SLICES;
        List<SessionKey> sessions = listener.sessionKeys().stream()
                .filter(session -> Math.floorMod(session.sessionId().hashCode(), TOUCH_SLICES) == slice)
                .toList();
        if (!sessions.isEmpty()) {
            outgoing.mirror(new StoreOp.Touched(nodeId, sessions));
        }
    }

    private void reapDeadNodes() {
        for (String node : backend.nodes().silent(timings.nodeTimeout().plus(timings.resumeWindow()))) {
            if (node.equals(nodeId) || !backend.nodes().reap(node, nodeId)) {
                continue;   // another node reaps it
            }
            // its sessions first: once its peers are told it left, a late resume must fail and start afresh, not
            // come back in no room while the client believes it is in them
            List<String> sessions = backend.sessions().sessionsOf(node);
            List<CompletableFuture<Void>> removed = sessions.stream().map(sessionId -> outgoing.urgent(
                    new StoreOp.Removed(sessionId, "", node)).toCompletableFuture()).toList();
            removed.forEach(this::await);
            List<Directory.Membership> memberships = backend.directory().memberships(node);
            for (Directory.Membership membership : memberships) {
                reap(membership);
            }
            backend.nodes().forget(node);
            LOG.log(INFO, "Node " + node + " stopped heart-beating; its " + sessions.size() + " sessions ended and "
                    + memberships.size() + " room memberships were removed after the resume window");
        }
    }

    private void reap(Directory.Membership membership) {
        String roomId = membership.roomId();
        RemotePeer member = membership.member();
        await(backend.directory().leave(roomId, member).toCompletableFuture()).ifPresent(remaining -> {
            announce.left(roomId, member, PeerLeftReason.PEER_LEFT_REASON_TIMEOUT, remaining);
            if (remaining.stream().anyMatch(peer -> peer.nodeId().equals(nodeId))) {
                listener.memberLeft(roomId, member, PeerLeftReason.PEER_LEFT_REASON_TIMEOUT);
            }
        });
    }

    private <T> T await(CompletableFuture<T> result) {
        try {
            return result.get(timings.nodeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cluster backend: " + e.getMessage(), e);
        }
    }
}
