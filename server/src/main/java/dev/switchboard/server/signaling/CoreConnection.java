package dev.switchboard.server.signaling;

import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.reliability.heartbeat.HeartbeatMonitor;
import dev.switchboard.server.session.Errors;
import dev.switchboard.server.session.Outbox;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionSettings;
import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.server.transport.Connection;
import dev.switchboard.server.transport.PeerLink;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * One transport connection inside the core: its outbox, the session its {@code hello} opened or resumed (none
 * before that), and what the heartbeat needs to know of it.
 */
final class CoreConnection implements Connection, HeartbeatMonitor.Watched {
    private final SignalingCore core;
    private final PeerLink link;
    /** The longest a reader is held back for its own unwritten answers ({@link Outbox#awaitRoom}). */
    private static final long MAX_BACKPRESSURE_MILLIS = 5_000;

    private final Outbox outbox;
    private final ReentrantLock stateLock = new ReentrantLock();
    private volatile Session session;
    private volatile long lastMessageNanos = System.nanoTime();
    /** Cancelled once moot, so that the timer does not keep an ended connection (and its session) reachable. */
    private volatile Future<?> helloDeadline;
    // guarded by stateLock
    private boolean closed;

    CoreConnection(SignalingCore core, PeerLink link, SessionSettings settings, BufferBudget budget,
                   SignalingMetrics metrics) {
        this.core = core;
        this.link = link;
        this.outbox = new Outbox(link, settings.outboundQueueLimit(), settings.outboundQueueBytes(), budget,
                                 this::closed, metrics::queued);
    }

    @Override
    public void receive(ClientMessage message) {
        lastMessageNanos = System.nanoTime();
        core.dispatch(this, message, lastMessageNanos);
        if (link.readerMayWait()) {
            try {
                outbox.awaitRoom(MAX_BACKPRESSURE_MILLIS);    // no lock is held here: only this client's reader waits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void receiveMalformed(String detail) {
        lastMessageNanos = System.nanoTime();
        reply(Errors.message(ErrorCode.ERROR_CODE_INVALID_MESSAGE, "malformed frame: " + detail, ""));
    }

    @Override
    public void messageTooLarge(int maxBytes) {
        lastMessageNanos = System.nanoTime();
        String detail = "message larger than " + maxBytes + " bytes; the connection is closed";
        Session current = session;
        if (current == null) {
            refuse(ErrorCode.ERROR_CODE_MESSAGE_TOO_LARGE, detail, "", CloseCause.MESSAGE_TOO_LARGE);
            return;
        }
        current.sendError(ErrorCode.ERROR_CODE_MESSAGE_TOO_LARGE, detail, "");
        current.outbound().closeConnection(CloseCause.MESSAGE_TOO_LARGE);
    }

    @Override
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
     * @param deadline closes the connection if it has no session by then; cancelled once it has one, or closed
     */
    void helloDeadline(Future<?> deadline) {
        helloDeadline = deadline;
        if (session != null || isClosed()) {
            deadline.cancel(false);
        }
    }

    /**
     * {@code limits.hello-timeout} has passed since the connection opened: one that has no session by then gets
     * a fatal {@code HELLO_REQUIRED} and is closed, so idle sockets cannot pile up.
     */
    void helloDeadlinePassed() {
        if (session == null && !isClosed()) {
            refuse(ErrorCode.ERROR_CODE_HELLO_REQUIRED, "no hello within the server's hello timeout", "",
                   CloseCause.HELLO_TIMEOUT);
        }
    }

    /**
     * Refuses the connection before it has a session: a fatal error, then the connection closes.
     */
    void refuse(ErrorCode code, String detail, String requestId, CloseCause cause) {
        outbox.closeAfter(Errors.fatal(code, detail, requestId).build(), cause);
    }

    /**
     * Sends a message on this connection: in the session's numbered stream once there is a session, unnumbered
     * (sequence 0) before {@code hello}.
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

    /** Forgets the session again, after a resume that failed once bound. */
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

    private void cancelHelloDeadline() {
        Future<?> deadline = helloDeadline;
        if (deadline != null) {
            deadline.cancel(false);
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

    @Override
    public String toString() {
        Session bound = session;
        return (bound == null ? "a connection without session" : bound.userId()) + " on " + link.transport();
    }
}
