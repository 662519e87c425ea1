package dev.switchboard.server.cluster.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.switchboard.cluster.v1.NodeEnvelope;
import dev.switchboard.cluster.v1.SessionClaim;
import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.cluster.v1.SessionReleased;
import dev.switchboard.server.cluster.ClaimedSession;
import dev.switchboard.server.cluster.ClusterListener;
import dev.switchboard.server.cluster.ClusterUnavailableException;
import dev.switchboard.server.cluster.LocalSession;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.cluster.backend.ClusterBackend;
import dev.switchboard.server.cluster.backend.SessionStore;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;

/**
 * Sessions moving between nodes. A node that resumes a session of another node claims it: a live owner hands it
 * over with its state in the answer (nothing is read back from the backend, so nothing the owner had not written
 * yet is missed); for a dead owner, the state it stored is all there is, plus what was sent to it meanwhile.
 * <p>
 * The claimer checks the user first: nothing is taken over for a client that is not the session's user. A backend
 * failure after a live owner let go does not lose the session: the claimer keeps it, and records the ownership
 * once the backend is back ({@link NodeWatch}).
 */
final class Handovers {
    private static final System.Logger LOG = System.getLogger("switchboard.cluster");

    private final String nodeId;
    private final ClusterBackend backend;
    private final Outgoing outgoing;
    private final NodeWatch watch;
    private final Announce announce;
    private final Duration timeout;
    private final Map<String, CompletableFuture<SessionReleased>> claims = new ConcurrentHashMap<>();
    private volatile ClusterListener listener;

    Handovers(String nodeId, ClusterBackend backend, Outgoing outgoing, NodeWatch watch, Announce announce,
              Duration timeout) {
        this.nodeId = nodeId;
        this.backend = backend;
        this.outgoing = outgoing;
        this.watch = watch;
        this.announce = announce;
        this.timeout = timeout;
    }

    void listener(ClusterListener events) {
        this.listener = events;
    }

    /** See {@link dev.switchboard.server.cluster.Cluster#claim}. */
    Optional<ClaimedSession> claim(String resumeToken, String userId) throws ClusterUnavailableException {
        try {
            SessionStore.StoredSession stored = backend.sessions().find(resumeToken).orElse(null);
            if (stored == null || stored.owner().equals(nodeId)
                    || !userId.isEmpty() && !stored.record().getUserId().equals(userId)) {
                return Optional.empty();
            }
            if (!watch.dead(stored.owner()) && backend.nodes().beatWithin(stored.owner(), timeout)) {
                Optional<SessionReleased> released = handOver(stored);
                if (released.isPresent()) {
                    return released.get().getReleased() ? Optional.of(takeReleased(stored, released.get()))
                            : Optional.empty();
                }
            }
            return takeFromDead(stored);
        } catch (RuntimeException e) {
            throw new ClusterUnavailableException("resuming a session of another node", e);
        }
    }

    /**
     * Asks a live owner to hand a session over and waits for its answer, or for the owner to turn out dead: a node
     * killed a moment ago still looks alive until its heartbeat is a node timeout old.
     *
     * @return the answer; empty when the owner died meanwhile
     */
    private Optional<SessionReleased> handOver(SessionStore.StoredSession stored) throws ClusterUnavailableException {
        String sessionId = stored.record().getSessionId();
        CompletableFuture<SessionReleased> answer = new CompletableFuture<>();
        claims.put(sessionId, answer);
        try {
            outgoing.envelope(stored.owner(), NodeEnvelope.newBuilder().setSessionClaim(
                    SessionClaim.newBuilder().setSessionId(sessionId).setUserId(stored.record().getUserId())
                            .setClaimerNodeId(nodeId))).toCompletableFuture().get(timeout.toMillis(),
                                                                                  TimeUnit.MILLISECONDS);
            return Optional.of(answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            if (!backend.nodes().beatWithin(stored.owner(), timeout)) {
                return Optional.empty();
            }
            throw new ClusterUnavailableException("node " + stored.owner() + " did not hand the session over", e);
        } catch (ExecutionException e) {
            throw new ClusterUnavailableException("asking node " + stored.owner() + " for the session", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException("waiting for node " + stored.owner(), e);
        } finally {
            claims.remove(sessionId);
        }
    }

    /** The live owner let go: its state is in the answer; the ownership is recorded now, or once it can be. */
    private ClaimedSession takeReleased(SessionStore.StoredSession stored, SessionReleased released) {
        SessionRecord record = released.getRecord();
        SessionStore.StoredSession current = new SessionStore.StoredSession(record, stored.owner());
        Map<String, List<RemotePeer>> rooms;
        try {
            rooms = backend.sessions().claim(current, nodeId).orElseGet(() -> withoutMembers(record));
        } catch (RuntimeException e) {
            watch.claimLater(current, e);
            rooms = withoutMembers(record);
        }
        LOG.log(INFO, "Session " + record.getSessionId() + " of " + record.getUserId() + " handed over by node "
                + stored.owner());
        return new ClaimedSession(record, released.getLastSequence(), released.getReplayList(), List.of(),
                                  remote(rooms), false);
    }

    /** The owner is dead: the session is taken as it stored it, with what was sent to it since. */
    private Optional<ClaimedSession> takeFromDead(SessionStore.StoredSession stored) {
        Optional<Map<String, List<RemotePeer>>> rooms = backend.sessions().claim(stored, nodeId);
        if (rooms.isEmpty()) {
            return Optional.empty();    // another node claimed it first
        }
        String sessionId = stored.record().getSessionId();
        SessionStore.SentState sent = backend.sessions().take(sessionId);
        List<ServerMessage> pending = new ArrayList<>();
        // sent to its node after it died, before the senders saw it dead, then held for it
        backend.mailboxes().unread(stored.owner()).stream()
                .filter(envelope -> envelope.hasDelivery() && envelope.getDelivery().getSessionId().equals(sessionId))
                .forEach(envelope -> pending.add(envelope.getDelivery().getMessage()));
        pending.addAll(sent.pending());
        long lastSequence = Math.max(sent.lastSequence(),
                                     sent.replay().isEmpty() ? 0 : sent.replay().getLast().getSequence());
        LOG.log(INFO, "Session " + sessionId + " of " + stored.record().getUserId() + " taken over from dead node "
                + stored.owner());
        return Optional.of(new ClaimedSession(stored.record(), lastSequence, sent.replay(), pending,
                                              remote(rooms.get()), true));
    }

    /** A node claims a session of this node: it is released with its state, and the claimer gets the answer. */
    boolean release(SessionClaim claim, String claimer) {
        Optional<LocalSession> state = listener.release(claim.getUserId(), claim.getSessionId(),
                                                        claim.getClaimerNodeId());
        outgoing.forget(claim.getSessionId());      // the claimer writes its state from now on
        SessionReleased.Builder answer = SessionReleased.newBuilder().setSessionId(claim.getSessionId())
                .setReleased(state.isPresent());
        state.ifPresent(session -> answer.setRecord(session.record()).setLastSequence(session.lastSequence())
                .addAllReplay(session.replay()));
        outgoing.envelope(claimer, NodeEnvelope.newBuilder().setSessionReleased(answer));
        return state.isPresent();
    }

    /** An owner answered this node's claim. */
    boolean released(SessionReleased answer) {
        CompletableFuture<SessionReleased> waiting = claims.get(answer.getSessionId());
        return waiting != null && waiting.complete(answer);
    }

    /** Records the ownership of a session kept while the backend was away, and tells its peers' nodes. */
    void recordOwnership(SessionStore.StoredSession session) {
        backend.sessions().claim(session, nodeId).ifPresent(rooms -> {
            List<RemotePeer> peers = new ArrayList<>();
            remote(rooms).values().forEach(peers::addAll);
            announce.moved(session.record(), peers);
        });
    }

    private Map<String, List<RemotePeer>> remote(Map<String, List<RemotePeer>> rooms) {
        Map<String, List<RemotePeer>> others = new LinkedHashMap<>();
        rooms.forEach((roomId, members) -> others.put(roomId, members.stream()
                .filter(member -> !member.nodeId().equals(nodeId)).toList()));
        return others;
    }

    private static Map<String, List<RemotePeer>> withoutMembers(SessionRecord record) {
        Map<String, List<RemotePeer>> rooms = new LinkedHashMap<>();
        record.getRoomIdsList().forEach(roomId -> rooms.put(roomId, List.of()));
        return rooms;
    }
}
