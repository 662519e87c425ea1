package dev.switchboard.server.signaling;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import dev.switchboard.server.auth.AuthException;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.ice.IceServerList;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.ice.IceServerRefresh;
import dev.switchboard.server.limits.Identifiers;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.session.Errors;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.signaling.v1.AckMode;
import dev.switchboard.signaling.v1.Authenticated;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Opens sessions: a {@code hello} without a resume token opens a new one (a hello with one goes to
 * {@link Resumption}); {@code authenticate} refreshes an open session's credential.
 */
final class Handshake {
    private static final System.Logger LOG = System.getLogger("switchboard.session");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Identification identification;
    private final Authenticator authenticator;
    private final SessionRegistry sessions;
    private final SessionFactory factory;
    private final Teardown teardown;
    private final Resumption resumption;
    private final Welcomes welcomes;
    private final IceServerProvider iceServers;
    private final IceServerRefresh iceServerRefresh;
    private final LimitSettings limits;
    private final SignalingMetrics metrics;

    Handshake(Authenticator authenticator, SessionRegistry sessions, SessionFactory factory, Teardown teardown,
              Resumption resumption, Welcomes welcomes, IceServerProvider iceServers,
              IceServerRefresh iceServerRefresh, LimitSettings limits, SignalingMetrics metrics) {
        this.identification = new Identification(authenticator);
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.factory = factory;
        this.teardown = teardown;
        this.resumption = resumption;
        this.welcomes = welcomes;
        this.iceServers = iceServers;
        this.iceServerRefresh = iceServerRefresh;
        this.limits = limits;
        this.metrics = metrics;
    }

    /**
     * Handles {@code hello} on a connection that has no session yet: resumes one, or opens a new one.
     */
    void hello(CoreConnection connection, Hello hello, String requestId) {
        if (teardown.draining()) {
            connection.refuse(ErrorCode.ERROR_CODE_DRAINING, "this server is shutting down: connect to another",
                              requestId, CloseCause.SHUTDOWN);
            return;
        }
        if (!hello.getResumeToken().isEmpty()) {
            resumption.resume(connection, hello, requestId, identification);
            return;
        }
        Optional<Identity> identity = identification.identify(connection, hello, requestId);
        if (identity.isEmpty()) {
            return;
        }
        String userId = identity.get().userId();
        Optional<String> badId = Identifiers.problem(authenticator.verifies() ? "the token's sub" : "hello.user_id",
                                                     userId);
        if (badId.isPresent()) {
            connection.reply(Errors.message(ErrorCode.ERROR_CODE_INVALID_MESSAGE, badId.get(), requestId));
            return;
        }
        if (limits.maxSessions() > 0 && sessions.size() >= limits.maxSessions() && sessions.find(userId).isEmpty()) {
            // a user already here may still open a session: it replaces the old one, the count stays
            LOG.log(WARNING, "Server full: refused a session for " + userId + " (" + limits.maxSessions()
                    + " sessions)");
            connection.refuse(ErrorCode.ERROR_CODE_SERVER_FULL, "the server holds its maximum of "
                    + limits.maxSessions() + " sessions; try again later", requestId, CloseCause.SERVER_FULL);
            return;
        }
        Session session = factory.create(UUID.randomUUID().toString(), userId, newResumeToken(), connection.outbox(),
                                         connection.link().resumable());
        session.authenticated(identity.get());
        AckMode ackMode = session.outbound().ackMode(hello.getAckMode());
        sessions.register(session).ifPresent(teardown::replace);
        factory.mirror().opened(session);
        if (!connection.bind(session)) {
            teardown.end(session, PeerLeftReason.PEER_LEFT_REASON_DISCONNECTED, "connection closed during hello");
            return;
        }
        IceServerList servers = iceServers.serversFor(userId);
        session.send(ServerMessage.newBuilder().setRequestId(requestId)
                             .setWelcome(welcomes.of(session, false, servers, ackMode)));
        iceServerRefresh.handedOut(session, servers);
        metrics.sessionOpened();
        LOG.log(INFO, "Session opened: " + session + " on " + connection.link().transport()
                + Identification.clientLabel(hello));
    }

    /**
     * Checks a fresh credential for an open session ({@code authenticate}).
     */
    void authenticate(Session session, String token, String requestId) {
        try {
            Identity identity = authenticator.identify(token, session.userId());
            session.authenticated(identity);
            factory.mirror().changed(session);
            session.send(ServerMessage.newBuilder().setRequestId(requestId).setAuthenticated(
                    Authenticated.newBuilder()
                            .setUserId(identity.userId())
                            .setExpiresAtMs(identity.expiresAt().map(Instant::toEpochMilli).orElse(0L))));
        } catch (AuthException e) {
            session.sendError(e.code(), e.getMessage(), requestId);
        }
    }

    private static String newResumeToken() {
        byte[] secret = new byte[24];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
