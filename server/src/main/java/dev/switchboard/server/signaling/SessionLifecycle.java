package dev.switchboard.server.signaling;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.auth.AuthException;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.cluster.ClaimedSession;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterUnavailableException;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.ice.IceServerList;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.ice.IceServerRefresh;
import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.server.limits.Identifiers;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.limits.RateLimiter;
import dev.switchboard.server.observe.LogText;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.reliability.dedup.DedupSettings;
import dev.switchboard.server.reliability.dedup.SignalDeduplicator;
import dev.switchboard.server.reliability.heartbeat.HeartbeatSettings;
import dev.switchboard.server.reliability.resume.ReconnectSettings;
import dev.switchboard.server.reliability.resume.ReplayBuffer;
import dev.switchboard.server.reliability.resume.ResumeSettings;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.session.CloseCause;
import dev.switchboard.server.session.Outbox;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.signaling.v1.Authenticated;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.GoingAway;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Opens sessions on {@code hello}, resumes them, and ends them: on {@code bye}, when a newer session of the same
 * user takes over, or when a dropped connection is not resumed within the resume window.
 */
final class SessionLifecycle {
    private static final System.Logger LOG = System.getLogger("switchboard.session");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionRegistry sessions;
    private final RoomRegistry rooms;
    private final IceServerProvider iceServers;
    private final IceServerRefresh iceServerRefresh;
    private final ResumeSettings resume;
    private final LimitSettings limits;
    private final Authenticator authenticator;
    private final DedupSettings dedup;
    private final HeartbeatSettings heartbeat;
    private final ReconnectSettings reconnect;
    private final ScheduledExecutorService timers;
    private final SignalingMetrics metrics;
    private final Cluster cluster;
    private final BufferBudget bufferBudget;
    private volatile boolean draining;

    SessionLifecycle(SignalingCore.Builder parts) {
        this.sessions = parts.sessions;
        this.rooms = parts.rooms;
        this.iceServers = parts.iceServers;
        this.iceServerRefresh = parts.iceServerRefresh;
        this.resume = parts.resume;
        this.limits = parts.limits;
        this.authenticator = parts.authenticator;
        this.dedup = parts.dedup;
        this.heartbeat = parts.heartbeat.settings();
        this.reconnect = parts.reconnect;
        this.timers = parts.timers;
        this.metrics = parts.metrics;
        this.cluster = parts.cluster;
        this.bufferBudget = parts.bufferBudget;
    }

    /**
     * Handles {@code hello} on a connection that has no session yet: resumes one, or opens a new one.
     */
    void hello(Connection connection, Hello hello, String requestId) {
        if (draining) {
            connection.refuse(ErrorCode.ERROR_CODE_DRAINING, "this server is shutting down: connect to another",
                              requestId, CloseCause.SHUTDOWN);
            return;
        }
        if (!hello.getResumeToken().isEmpty()) {
            resume(connection, hello, requestId);
            return;
        }
        Optional<Identity> identity = identify(connection, hello, requestId);
        if (identity.isEmpty()) {
            return;
        }
        String userId = identity.get().userId();
        Optional<String> badId = Identifiers.problem(authenticator.verifies() ? "the token's sub" : "hello.user_id",
                                                     userId);
        if (badId.isPresent()) {
            connection.reply(ServerMessage.newBuilder().setRequestId(requestId).setError(
                    Session.error(ErrorCode.ERROR_CODE_INVALID_MESSAGE, badId.get(), requestId, false)));
            return;
        }
        if (limits.maxSessions() > 0 && sessions.size() >= limits.maxSessions()
                && sessions.find(userId).isEmpty()) {
            // a user already here may still open a session: it replaces the old one, the count stays
            LOG.log(WARNING, "Server full: refused a session for " + userId + " (" + limits.maxSessions()
                    + " sessions)");
            connection.refuse(ErrorCode.ERROR_CODE_SERVER_FULL, "the server holds its maximum of "
                    + limits.maxSessions() + " sessions; try again later", requestId, CloseCause.SERVER_FULL);
            return;
        }
        String transport = connection.link().transport();
        Session session = newSession(UUID.randomUUID().toString(), userId, newResumeToken(), connection.outbox());
        session.authenticated(identity.get());
        sessions.register(session).ifPresent(this::replace);
        cluster.opened(session);
        if (!connection.bind(session)) {
            end(session, PeerLeftReason.PEER_LEFT_REASON_DISCONNECTED, "connection closed during hello");
            return;
        }
        IceServerList servers = iceServers.serversFor(userId);
        session.send(ServerMessage.newBuilder().setRequestId(requestId).setWelcome(welcome(session, false, servers)));
        iceServerRefresh.handedOut(session, servers);
        metrics.sessionOpened();
        LOG.log(INFO, "Session opened: " + session + " on " + transport + clientLabel(hello));
    }

    /**
     * A connection is gone. Its session, unless it moved on already, waits for a resume, or ends at once when
     * resume is disabled.
     */
    void connectionClosed(Connection connection, Session session) {
        long attachment = session.detach(connection.outbox());
        if (attachment < 0) {
            return;     // resumed on another connection meanwhile, or already ended
        }
        if (!resume.enabled()) {
            end(session, PeerLeftReason.PEER_LEFT_REASON_DISCONNECTED, "disconnected");
            return;
        }
        LOG.log(INFO, "Session detached: " + session + " lost its " + connection.link().transport()
                + " connection; resumable for " + resume.window().toMillis() + " ms");
        expireUnlessResumed(session, attachment);
    }

    /** Ends a detached session when the resume window passes before a connection resumes it. */
    private void expireUnlessResumed(Session session, long attachment) {
        timers.schedule(() -> {
            if (session.endIfStillDetached(attachment)) {
                cleanUp(session, PeerLeftReason.PEER_LEFT_REASON_TIMEOUT,
                        "not resumed within " + resume.window().toMillis() + " ms");
            }
        }, resume.window().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops opening and resuming sessions, and asks every attached client to reconnect elsewhere.
     *
     * @param reconnectSpread the clients' reconnect hints are spread at random over this long
     */
    void drain(Duration reconnectSpread) {
        draining = true;
        long spreadMs = reconnectSpread.toMillis();     // under a millisecond (PT0.0001S) is no spread at all
        for (Session session : sessions.sessions()) {
            long hint = spreadMs > 0 ? RANDOM.nextLong(spreadMs) : 0;
            session.send(ServerMessage.newBuilder().setGoingAway(
                    GoingAway.newBuilder().setReason("server shutting down").setReconnectAfterMs((int) hint)));
        }
        LOG.log(INFO, "Draining: asked " + sessions.size() + " sessions to reconnect elsewhere");
    }

    /**
     * Ends a session on an operator's request: its peers see it leave ({@code REMOVED}), it gets a fatal
     * {@code REMOVED} error with the reason, and its connection closes.
     */
    void remove(Session session, String reason) {
        if (!session.end()) {
            return;
        }
        cleanUp(session, PeerLeftReason.PEER_LEFT_REASON_REMOVED, "removed by an operator: " + LogText.quote(reason));
        session.sendAndClose(ServerMessage.newBuilder().setError(
                Session.error(ErrorCode.ERROR_CODE_REMOVED, reason, "", true)), CloseCause.REMOVED);
    }

    /**
     * Ends a session on the client's request.
     */
    void bye(Session session) {
        end(session, PeerLeftReason.PEER_LEFT_REASON_LEFT, "said bye");
        session.closeConnection(CloseCause.NORMAL);
    }

    private Session newSession(String id, String userId, String resumeToken, Outbox outbox) {
        return new Session(id, userId, resumeToken, outbox,
                           new ReplayBuffer(resume.bufferMessages(), resume.bufferBytes(), bufferBudget),
                           new SignalDeduplicator(dedup), new RateLimiter(limits.rate(), limits.burst()),
                           this::bufferOverflowed, cluster.mirror());
    }

    /**
     * Takes over a session another node served (it died, or the client's reconnect landed here), detached and
     * in its rooms, ready to be resumed like one of this node's own.
     *
     * @return the session, or empty when the cluster holds no live session for the token
     */
    private Optional<Takeover> takeOver(String resumeToken) throws ClusterUnavailableException {
        Optional<ClaimedSession> claimed = cluster.claim(resumeToken);
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        SessionRecord record = claimed.get().record();
        Session session = newSession(record.getSessionId(), record.getUserId(), record.getResumeToken(), null);
        session.restore(claimed.get().lastSequence(), claimed.get().replay());
        session.dedup().restore(record.getDedup());
        session.authenticated(claimed.get().identity());
        sessions.register(session).ifPresent(this::replace);
        // resumable here for a window of its own, should this resume fail (another user's token, a gap)
        expireUnlessResumed(session, session.detach(null));
        List<RemotePeer> peers = new ArrayList<>();
        for (String roomId : claimed.get().rooms()) {
            List<RemotePeer> others = cluster.remoteMembers(roomId);
            rooms.adopt(roomId, session, others);
            peers.addAll(others);
        }
        cluster.moved(session, peers);
        return Optional.of(new Takeover(session, claimed.get().pending()));
    }

    /** A session taken over from another node, and the messages for it that waited while that node was dead. */
    private record Takeover(Session session, List<ServerMessage> pending) {
    }

    /**
     * Another node resumes a session of this node: it stops here without its peers noticing (no
     * {@code peer_left}): they see it live on the other node. Its connection, if any, is closed.
     *
     * @return whether the session lived here
     */
    boolean release(String userId, String sessionId, String claimer) {
        Optional<Session> found = sessions.find(userId).filter(session -> session.id().equals(sessionId));
        if (found.isEmpty()) {
            return false;
        }
        Session session = found.get();
        session.inboundLock().lock();
        try {
            rooms.handOver(session, claimer);   // first: signals from peers here now go to the claimer
            if (!session.end()) {
                return false;
            }
        } finally {
            session.inboundLock().unlock();
        }
        sessions.unregister(session, "resumed on another node");
        iceServerRefresh.stop(session);
        session.closeConnection(CloseCause.RESUMED_ELSEWHERE);
        LOG.log(INFO, "Session handed over: " + session + " resumes on node " + claimer);
        return true;
    }

    /**
     * A newer session of the user opened on another node: this node's older one ends as replaced.
     */
    void replacedElsewhere(String userId, String newerSessionId) {
        sessions.find(userId).filter(session -> !session.id().equals(newerSessionId)).ifPresent(this::replace);
    }

    private void resume(Connection connection, Hello hello, String requestId) {
        Session session = sessions.findByResumeToken(hello.getResumeToken()).orElse(null);
        List<ServerMessage> pending = List.of();
        if (session == null && cluster.shared()) {
            try {
                Optional<Takeover> takeover = takeOver(hello.getResumeToken());
                session = takeover.map(Takeover::session).orElse(null);
                pending = takeover.map(Takeover::pending).orElse(List.of());
            } catch (ClusterUnavailableException e) {
                metrics.resumed(false);
                LOG.log(INFO, "Resume failed on " + connection.link().transport() + ": " + e.getMessage());
                connection.reply(ServerMessage.newBuilder().setRequestId(requestId).setError(
                        Session.error(ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, e.getMessage()
                                + "; retry the resume later", requestId, false)));
                return;
            }
        }
        if (session == null) {
            resumeFailed(connection, requestId, sessions.whyEnded(hello.getResumeToken())
                    .map(why -> "the session has ended: " + why)
                    .orElse("unknown resume token"));
            return;
        }
        Identity identity;
        if (authenticator.verifies()) {
            // the resume token alone proves nothing: the connection must authenticate as the session's user
            Optional<Identity> verified = identify(connection, hello, requestId);
            if (verified.isEmpty()) {
                return;
            }
            identity = verified.get();
        } else {
            identity = hello.getUserId().isEmpty() ? session.identity() : Identity.unverified(hello.getUserId());
        }
        if (!identity.userId().equals(session.userId())) {
            resumeFailed(connection, requestId, "the resume token belongs to another user");
            return;
        }
        if (!connection.bind(session)) {
            return;     // the connection closed while we looked; the session stays as it was
        }
        String transport = connection.link().transport();
        Session.Attachment attached;
        IceServerList servers = iceServers.serversFor(session.userId());
        session.inboundLock().lock();
        try {
            // under the inbound lock, so last_processed_sequence counts a message the old connection is handling
            ServerMessage welcome = ServerMessage.newBuilder()
                    .setRequestId(requestId)
                    .setWelcome(welcome(session, true, servers))
                    .build();
            attached = session.attach(connection.outbox(), hello.getLastReceivedSequence(), welcome);
        } finally {
            session.inboundLock().unlock();
        }
        if (attached.outcome() == Session.Attachment.Outcome.RESUMED) {
            session.authenticated(identity);
            iceServerRefresh.handedOut(session, servers);
            metrics.resumed(true);
            if (attached.previous() != null) {
                attached.previous().abort(CloseCause.RESUMED_ELSEWHERE);
            }
            for (ServerMessage message : pending) {
                session.send(message.toBuilder());
            }
            if (connection.isClosed()) {
                connectionClosed(connection, session);  // it closed between bind and attach
            }
            LOG.log(INFO, "Session resumed: " + session + " on " + transport + " after sequence "
                    + hello.getLastReceivedSequence() + clientLabel(hello));
            return;
        }
        connection.unbind();    // before replying: the refusal belongs to this connection, not to the session
        switch (attached.outcome()) {
            case ENDED -> resumeFailed(connection, requestId, "the session has ended: "
                    + sessions.whyEnded(session.resumeToken()).orElse("just now"));
            case AHEAD -> resumeFailed(connection, requestId, "last_received_sequence "
                    + hello.getLastReceivedSequence() + " is beyond the last message sent, "
                    + session.lastSequence() + "; the session is unchanged");
            case OVERFLOWED -> resumeFailed(connection, requestId,
                                            "the session's resume buffer overflowed; it has ended");
            case GAP -> {
                end(session, PeerLeftReason.PEER_LEFT_REASON_TIMEOUT, "resume buffer no longer holds what it missed");
                resumeFailed(connection, requestId, "the server no longer holds every message after sequence "
                        + hello.getLastReceivedSequence() + "; the session has ended");
            }
            default -> throw new IllegalStateException("unexpected " + attached.outcome());
        }
    }

    /**
     * Checks a fresh credential for an open session ({@code authenticate}).
     */
    void authenticate(Session session, String token, String requestId) {
        try {
            Identity identity = authenticator.identify(token, session.userId());
            session.authenticated(identity);
            session.send(ServerMessage.newBuilder().setRequestId(requestId).setAuthenticated(
                    Authenticated.newBuilder()
                            .setUserId(identity.userId())
                            .setExpiresAtMs(identity.expiresAt().map(Instant::toEpochMilli).orElse(0L))));
        } catch (AuthException e) {
            session.sendError(e.code(), e.getMessage(), requestId);
        }
    }

    /**
     * The identity a hello proves: its token (or the connection's), or with auth.mode none its user id. A refusal
     * is answered on the connection, which stays open for another hello.
     */
    private Optional<Identity> identify(Connection connection, Hello hello, String requestId) {
        String token = hello.getToken().isEmpty() ? connection.link().bearerToken().orElse("") : hello.getToken();
        try {
            Identity identity = authenticator.identify(token, hello.getUserId());
            if (identity.userId().isEmpty()) {
                throw new AuthException(ErrorCode.ERROR_CODE_INVALID_MESSAGE, "hello.user_id is required");
            }
            return Optional.of(identity);
        } catch (AuthException e) {
            LOG.log(INFO, "Hello refused on " + connection.link().transport() + ": " + LogText.quote(e.getMessage()));
            connection.reply(ServerMessage.newBuilder().setRequestId(requestId).setError(
                    Session.error(e.code(), e.getMessage(), requestId, false)));
            return Optional.empty();
        }
    }

    private void resumeFailed(Connection connection, String requestId, String why) {
        metrics.resumed(false);
        LOG.log(INFO, "Resume failed on " + connection.link().transport() + ": " + why);
        connection.reply(ServerMessage.newBuilder().setRequestId(requestId).setError(
                Session.error(ErrorCode.ERROR_CODE_RESUME_FAILED, why, requestId, false)));
    }

    private Welcome.Builder welcome(Session session, boolean resumed, IceServerList servers) {
        return Welcome.newBuilder()
                .setSessionId(session.id())
                .setUserId(session.userId())
                .addAllIceServers(servers.servers())
                .setIceServersExpiresAtMs(servers.expiresAtMs())
                .setResumeToken(session.resumeToken())
                .setResumed(resumed)
                .setLastProcessedSequence(session.dedup().lastProcessedSequence())
                .setHeartbeat(heartbeat.toPolicy())
                .setReconnect(reconnect.toPolicy())
                .setResumeWindowMs((int) resume.window().toMillis());
    }

    private void bufferOverflowed(Session session) {
        // Called under the session's lock while something sends to it: end it from a timer thread instead.
        timers.execute(() -> end(session, PeerLeftReason.PEER_LEFT_REASON_TIMEOUT,
                                 "resume buffer overflowed while detached"));
    }

    private void replace(Session older) {
        end(older, PeerLeftReason.PEER_LEFT_REASON_REPLACED, "replaced by a newer session");
        older.sendAndClose(ServerMessage.newBuilder().setError(
                Session.error(ErrorCode.ERROR_CODE_SESSION_REPLACED,
                              "a newer session of " + older.userId() + " took over", "", true)),
                           CloseCause.REPLACED);
    }

    private void end(Session session, PeerLeftReason reason, String why) {
        if (session.end()) {
            cleanUp(session, reason, why);
        }
    }

    private void cleanUp(Session session, PeerLeftReason reason, String why) {
        for (String roomId : List.copyOf(session.rooms())) {
            rooms.leave(roomId, session, reason);
        }
        sessions.unregister(session, why);
        cluster.ended(session);
        iceServerRefresh.stop(session);
        LOG.log(INFO, "Session closed: " + session + ": " + why);
    }

    private static String newResumeToken() {
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    private static String clientLabel(Hello hello) {
        if (hello.getClientName().isEmpty()) {
            return "";
        }
        return " with " + LogText.quote(hello.getClientName())
                + (hello.getClientVersion().isEmpty() ? "" : " " + LogText.quote(hello.getClientVersion()));
    }
}
