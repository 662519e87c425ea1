package dev.switchboard.server.transport.gate;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One accepted connection on its way to being a client: it holds a place among its address's pending
 * connections until it settles, and must finish each HTTP request head within the request timeout.
 * <p>
 * Its protocol handlers find it through {@link #current()} (the connection's thread and the HTTP/2 stream threads
 * it starts) and report progress: {@link #requestReceived()} when a request head is complete (disarms the
 * deadline), {@link #responded()} after an HTTP/1.1 response (arms it for the next request on a kept-alive
 * connection), {@link #settle()} once the connection has proven itself (a session opened, a plain request
 * served, an HTTP/2 stream opened).
 */
public final class Admission {
    private static final InheritableThreadLocal<Admission> CURRENT = new InheritableThreadLocal<>();

    private final PendingConnections pending;
    private final InetAddress address;
    private final ScheduledExecutorService timers;
    private final long requestTimeoutNanos;
    private final Runnable onTimeout;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private ScheduledFuture<?> deadline;

    Admission(PendingConnections pending, InetAddress address, ScheduledExecutorService timers,
              long requestTimeoutNanos, Runnable onTimeout) {
        this.pending = pending;
        this.address = address;
        this.timers = timers;
        this.requestTimeoutNanos = requestTimeoutNanos;
        this.onTimeout = onTimeout;
    }

    /**
     * @return the admission of the connection the calling thread serves; empty outside the gate (tests that
     *         build connections by hand, client code)
     */
    public static Optional<Admission> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /**
     * A request head (HTTP/1.1 headers, an HTTP/2 HEADERS frame) is complete: the deadline is off.
     */
    public void requestReceived() {
        cancelDeadline();
    }

    /**
     * An HTTP/1.1 response went out: the next request on the connection has the request timeout again (an idle
     * kept-alive connection is closed then, as Node's HTTP server does after its keep-alive timeout).
     */
    public void responded() {
        armDeadline();
    }

    /**
     * The connection proved itself: it no longer counts against its address. Idempotent.
     */
    public void settle() {
        if (settled.compareAndSet(false, true)) {
            pending.settled(address);
        }
    }

    /** The connection's thread starts serving it: the deadline runs from now. */
    void started() {
        CURRENT.set(this);
        armDeadline();
    }

    /** The connection is gone. */
    void ended() {
        CURRENT.remove();
        cancelDeadline();
        settle();
    }

    private void armDeadline() {
        lock.lock();
        try {
            if (deadline != null) {
                deadline.cancel(false);
            }
            deadline = timers.schedule(onTimeout, requestTimeoutNanos, TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
    }

    private void cancelDeadline() {
        lock.lock();
        try {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
