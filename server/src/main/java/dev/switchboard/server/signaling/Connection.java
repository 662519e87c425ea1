package dev.switchboard.server.signaling;

import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.server.reliability.heartbeat.HeartbeatMonitor;
import dev.switchboard.server.session.CloseCause;
import dev.switchboard.server.session.Outbox;
import dev.switchboard.server.session.PeerLink;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionSettings;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * One transport connection, as the transport sees the core: the transport hands it every decoded frame and
 * tells it when the connection is gone; everything else happens in the core.
 * <p>
 * A transport calls {@link #receive} and {@link #receiveMalformed} from one thread at a time (its reader), and
 * {@link #closed} from any thread, any number of times.
 */
public final class Connection implements HeartbeatMonitor.Watched {
    private final SignalingCore core;
    private final PeerLink link;
    private final Outbox outbox;
    private final ReentrantLock stateLock = new ReentrantLock();
    private volatile Session session;
    private volatile long lastMessageNanos = System.nanoTime();
    /** Cancelled once moot, so that the timer does not keep an ended connection (and its session) reachable. */
    private volatile Future<?> helloDeadline;
    private boolean closed;

    Connection(SignalingCore core, PeerLink link, SessionSettings settings, BufferBudget budget) {
        this.core = core;
        this.link = link;
        this.outbox = new Outbox(link, settings.outboundQueueLimit(), settings.outboundQueueBytes(), budget,
                                 this::closed, core.metrics()::queued);
    }

    /**
     * A frame decoded into a message.
     *
     * @param message the message
     */
    public void receive(ClientMessage message) {
        lastMessageNanos = System.nanoTime();
        core.dispatch(this, message);
    }

    /**
     * A frame that could not be decoded. The peer gets {@code error INVALID_MESSAGE}; the session goes on.
     *
     * @param detail what was wrong with it
     */
    public void receiveMalformed(String detail) {
        lastMessageNanos = System.nanoTime();
        reply(ServerMessage.newBuilder()
                      .setError(Session.error(ErrorCode.ERROR_CODE_INVALID_MESSAGE,
                                              "malformed frame: " + detail, "", false)));
    }

    /**
     * A message larger than {@code limits.max-message-bytes} arrived, unread: the peer gets
     * {@code MESSAGE_TOO_LARGE} and the connection is closed. A session stays resumable, as after any drop.
     *
     * @param maxBytes the limit, for the error's detail
     */
    public void messageTooLarge(int maxBytes) {
        lastMessageNanos = System.nanoTime();
        String detail = "message larger than " + maxBytes + " bytes; the connection is closed";
        Session current = session;
        if (current == null) {
            refuse(ErrorCode.ERROR_CODE_MESSAGE_TOO_LARGE, detail, "", CloseCause.MESSAGE_TOO_LARGE);
            return;
        }
        current.send(ServerMessage.newBuilder()
                             .setError(Session.error(ErrorCode.ERROR_CODE_MESSAGE_TOO_LARGE, detail, "", false)));
        current.closeConnection(CloseCause.MESSAGE_TOO_LARGE);
    }

    /**
     * The connection is gone: closed by the peer, reset, failed, or silent past the heartbeat timeout.
     * Idempotent.
     */
    public void closed() {
        Session bound;
        stateLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            bound = session;
        } finally {
            stateLock.unlock();
        }
        cancelHelloDeadline();
        outbox.abort(CloseCause.NORMAL);
        core.connectionClosed(this, bound);
    }

    @Override
    public long lastHeardNanos() {
        long transport = link.lastHeardNanos();
        long message = lastMessageNanos;
        // nanoTime readings compare by their difference only; MIN_VALUE means the transport cannot tell
        return transport != Long.MIN_VALUE && transport - message > 0 ? transport : message;
    }

    @Override
    public void keepalive() {
        outbox.keepalive();
    }

    @Override
    public void silent() {
        outbox.abort(CloseCause.HEARTBEAT_TIMEOUT);
    }

    /**
     * {@code limits.hello-timeout} has passed since the connection opened: one that has no session by then gets
     * a fatal {@code HELLO_REQUIRED} and is closed, so idle sockets cannot pile up.
     */
    void helloDeadline(Future<?> deadline) {
        helloDeadline = deadline;
        if (session != null || isClosed()) {
            deadline.cancel(false);
        }
    }

    void helloDeadlinePassed() {
        if (session == null && !isClosed()) {
            refuse(ErrorCode.ERROR_CODE_HELLO_REQUIRED, "no hello within the server's hello timeout", "",
                   CloseCause.HELLO_TIMEOUT);
        }
    }

    /**
     * Refuses the connection before it has a session: a fatal error, then the connection closes.
     *
     * @param code      why
     * @param detail    readable detail
     * @param requestId the refused request's id, or empty
     * @param cause     how the transport closes the connection
     */
    void refuse(ErrorCode code, String detail, String requestId, CloseCause cause) {
        outbox.closeAfter(ServerMessage.newBuilder()
                                  .setRequestId(requestId)
                                  .setError(Session.error(code, detail, requestId, true))
                                  .build(), cause);
    }

    @Override
    public String toString() {
        Session bound = session;
        return (bound == null ? "a connection without session" : bound.userId()) + " on " + link.transport();
    }

    /**
     * Sends a message on this connection: in the session's numbered stream once there is a session, unnumbered
     * (sequence 0) before {@code hello}.
     *
     * @param message the message
     */
    void reply(ServerMessage.Builder message) {
        Session current = session;
        if (current != null) {
            current.send(message);
        } else {
            outbox.offer(message.build());
        }
    }

    /**
     * Binds the session opened or resumed by this connection's {@code hello}.
     *
     * @param opened the session
     * @return false when the connection closed meanwhile; the caller must not attach the session to it
     */
    boolean bind(Session opened) {
        stateLock.lock();
        try {
            if (closed) {
                return false;
            }
            session = opened;
        } finally {
            stateLock.unlock();
        }
        cancelHelloDeadline();
        link.sessionOpened();
        return true;
    }

    private void cancelHelloDeadline() {
        Future<?> deadline = helloDeadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /**
     * Forgets the session again, after a resume that failed once bound.
     */
    void unbind() {
        stateLock.lock();
        try {
            session = null;
        } finally {
            stateLock.unlock();
        }
    }

    boolean isClosed() {
        stateLock.lock();
        try {
            return closed;
        } finally {
            stateLock.unlock();
        }
    }

    Session session() {
        return session;
    }

    Outbox outbox() {
        return outbox;
    }

    PeerLink link() {
        return link;
    }
}
