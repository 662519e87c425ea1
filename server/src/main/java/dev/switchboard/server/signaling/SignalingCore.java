package dev.switchboard.server.signaling;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.relay.SignalRelay;
import dev.switchboard.server.reliability.heartbeat.HeartbeatMonitor;
import dev.switchboard.server.session.Errors;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionSettings;
import dev.switchboard.server.transport.Connection;
import dev.switchboard.server.transport.PeerLink;
import dev.switchboard.server.transport.SignalingPort;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Pong;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The signaling core as transports see it: it opens a connection per client connection, and dispatches each
 * message a connection receives to the part of the core that handles it, whatever transport it arrived on.
 * <p>
 * A message is handled under its session's inbound lock (so a resume waits for it, and a connection that lost
 * its session to a resume cannot slip one in), after the client's acknowledgement it carries and the session's
 * rate limit were applied.
 */
public final class SignalingCore implements SignalingPort {
    private static final System.Logger LOG = System.getLogger("switchboard.signaling");

    private final SessionSettings sessionSettings;
    private final LimitSettings limits;
    private final BufferBudget budget;
    private final SignalingMetrics metrics;
    private final HeartbeatMonitor heartbeat;
    private final ScheduledExecutorService timers;
    private final Handshake handshake;
    private final Teardown teardown;
    private final SignalRelay relay;
    private final RoomRequests roomRequests;

    SignalingCore(SessionSettings sessionSettings, LimitSettings limits, BufferBudget budget, SignalingMetrics metrics,
                  HeartbeatMonitor heartbeat, ScheduledExecutorService timers, SignalRelay relay, Handshake handshake,
                  Teardown teardown, RoomRequests roomRequests) {
        this.sessionSettings = sessionSettings;
        this.limits = limits;
        this.budget = budget;
        this.metrics = metrics;
        this.heartbeat = heartbeat;
        this.timers = timers;
        this.relay = relay;
        this.handshake = handshake;
        this.teardown = teardown;
        this.roomRequests = roomRequests;
    }

    @Override
    public Connection open(PeerLink link) {
        CoreConnection connection = new CoreConnection(this, link, sessionSettings, budget, metrics);
        heartbeat.watch(connection);
        connection.helloDeadline(timers.schedule(connection::helloDeadlinePassed, limits.helloTimeout().toNanos(),
                                                 TimeUnit.NANOSECONDS));
        return connection;
    }

    /**
     * Handles one message a connection received.
     *
     * @param receivedAt {@link System#nanoTime()} when its frame arrived
     */
    void dispatch(CoreConnection connection, ClientMessage message, long receivedAt) {
        try {
            Session session = connection.session();
            if (session == null) {
                beforeSession(connection, message);
                return;
            }
            session.inboundLock().lock();
            try {
                if (!session.outbound().isAttachedTo(connection.outbox())) {
                    return;     // resumed elsewhere: the client re-sends what this connection did not deliver
                }
                if (message.getLastReceivedSequence() > 0) {
                    session.outbound().acknowledge(message.getLastReceivedSequence());
                }
                if (!message.hasBye() && !session.withinRate()) {
                    refuseOverRate(session, message);
                    return;
                }
                handle(session, message, receivedAt);
            } finally {
                session.inboundLock().unlock();
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Failed to handle " + payloadName(message), e);
            connection.reply(Errors.message(ErrorCode.ERROR_CODE_INTERNAL, "internal error", message.getRequestId()));
        }
    }

    private void beforeSession(CoreConnection connection, ClientMessage message) {
        if (message.hasHello()) {
            handshake.hello(connection, message.getHello(), message.getRequestId());
        } else {
            connection.reply(Errors.message(ErrorCode.ERROR_CODE_HELLO_REQUIRED, "send hello before "
                    + payloadName(message), message.getRequestId()));
        }
    }

    /** Called with the session's inbound lock held. */
    private void handle(Session session, ClientMessage message, long receivedAt) {
        switch (Kind.of(message)) {
            case SIGNAL -> relay.relay(session, message, receivedAt);
            case REQUEST -> {
                // A numbered request processed before (a re-send after a resume) is not applied again: its reply
                // was sent then, and is in the replay.
                if (message.getSequence() == 0 || session.dedup().firstTime(message.getSequence())) {
                    request(session, message);
                }
            }
            case HELLO -> session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE, "hello already received",
                                            message.getRequestId());
            case NONE -> session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE,
                                           "message has no payload this server understands", message.getRequestId());
        }
    }

    private void request(Session session, ClientMessage message) {
        Runnable handling = switch (message.getPayloadCase()) {
            case JOIN -> () -> roomRequests.join(session, message.getJoin(), message.getRequestId());
            case LEAVE -> () -> roomRequests.leave(session, message.getLeave(), message.getRequestId());
            case CONNECTION_STATE_UPDATE -> () -> roomRequests.stateUpdate(session, message.getConnectionStateUpdate(),
                                                                           message.getRequestId());
            case PING -> () -> session.send(ServerMessage.newBuilder().setRequestId(message.getRequestId())
                    .setPong(Pong.newBuilder().setClientTimeMs(message.getPing().getClientTimeMs())
                                     .setServerTimeMs(System.currentTimeMillis())));
            case BYE -> () -> teardown.bye(session);
            case AUTHENTICATE -> () -> handshake.authenticate(session, message.getAuthenticate().getToken(),
                                                              message.getRequestId());
            case MEDIA_UPDATE -> () -> roomRequests.mediaUpdate(session, message.getMediaUpdate(),
                                                                message.getRequestId());
            case HELLO, OFFER, ANSWER, ICE_CANDIDATE, PAYLOAD_NOT_SET ->
                    throw new IllegalArgumentException("not a request: " + message.getPayloadCase());
        };
        handling.run();
    }

    /** Nothing in the message is applied (nor marked processed: the client may re-send it with its sequence). */
    private void refuseOverRate(Session session, ClientMessage message) {
        String detail = "more than " + limits.rate() + " messages per second (burst " + limits.burst() + ")";
        if (Kind.of(message) == Kind.SIGNAL) {
            relay.refuse(session, message, ErrorCode.ERROR_CODE_RATE_LIMITED, detail);
        } else {
            session.sendError(ErrorCode.ERROR_CODE_RATE_LIMITED, detail, message.getRequestId());
        }
    }

    void connectionClosed(CoreConnection connection, Session session) {
        heartbeat.forget(connection);
        if (session != null) {
            teardown.connectionClosed(connection, session);
        }
    }

    private static String payloadName(ClientMessage message) {
        return message.getPayloadCase().name().toLowerCase();
    }

    /** What the core does with a client message, by its payload. */
    private enum Kind {
        /** Opens or resumes the session. */
        HELLO,
        /** Relayed to another member of a room. */
        SIGNAL,
        /** Answered by the server. */
        REQUEST,
        /** No payload this server knows. */
        NONE;

        static Kind of(ClientMessage message) {
            return switch (message.getPayloadCase()) {
                case HELLO -> HELLO;
                case OFFER, ANSWER, ICE_CANDIDATE -> SIGNAL;
                case JOIN, LEAVE, CONNECTION_STATE_UPDATE, PING, BYE, AUTHENTICATE, MEDIA_UPDATE -> REQUEST;
                case PAYLOAD_NOT_SET -> NONE;
            };
        }
    }
}
