package dev.switchboard.server.session;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The messages waiting to be written to one connection, and the one virtual thread that writes them.
 * <p>
 * Any thread may {@link #offer} a message; none of them ever blocks on the peer's socket. Messages are written in
 * the order they were offered. The queue is bounded in messages and in bytes: a peer that reads too slowly for it
 * to drain is disconnected as a slow consumer instead of stalling its senders or growing memory without bound.
 */
public final class Outbox {
    private static final System.Logger LOG = System.getLogger("switchboard.session");

    private final PeerLink link;
    private final int limit;
    private final long byteLimit;
    private final Runnable onTerminated;
    private final Consumer<ServerMessage> onQueued;
    /** Marks a keepalive in the queue. */
    private static final Object KEEPALIVE = new Object();

    /** Holds {@link ServerMessage}s and keepalives, and finally one {@link CloseCause} that ends the writer. */
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final AtomicBoolean keepalivePending = new AtomicBoolean();
    private final Thread writer;

    /**
     * Creates the outbox and starts its writer.
     *
     * @param link         the connection to write to
     * @param limit        messages that may wait before the peer counts as a slow consumer
     * @param byteLimit    encoded bytes that may wait before the peer counts as a slow consumer
     * @param onTerminated called once, on a thread of its own, when the link is closed or broken
     * @param onQueued     told of each message queued for the first time (not of replays), for metrics
     */
    public Outbox(PeerLink link, int limit, long byteLimit, Runnable onTerminated, Consumer<ServerMessage> onQueued) {
        this.link = link;
        this.limit = limit;
        this.byteLimit = byteLimit;
        this.onTerminated = onTerminated;
        this.onQueued = onQueued;
        this.writer = Thread.ofVirtual().name("switchboard-writer-" + link.transport()).start(this::writeLoop);
    }

    /**
     * Queues a message for writing.
     *
     * @param message the message
     * @return false when the message will not be written: the outbox is closing, or it just overflowed and the
     *         connection is being dropped
     */
    public boolean offer(ServerMessage message) {
        if (replay(message)) {
            onQueued.accept(message);
            return true;
        }
        return false;
    }

    /**
     * Queues a message sent before, again, for a resumed session.
     *
     * @param message the message
     * @return as {@link #offer}
     */
    public boolean replay(ServerMessage message) {
        if (closing.get()) {
            return false;
        }
        int size = message.getSerializedSize();
        int count = queued.incrementAndGet();
        long bytes = queuedBytes.addAndGet(size);
        if (count > limit || bytes > byteLimit) {
            queued.decrementAndGet();
            queuedBytes.addAndGet(-size);
            LOG.log(WARNING, "Slow consumer: " + (count - 1) + " messages (" + (bytes - size) + " bytes) queued on a "
                    + link.transport() + " connection; disconnecting it");
            abort(CloseCause.SLOW_CONSUMER);
            return false;
        }
        queue.add(message);
        return true;
    }

    /**
     * Queues a transport-level keepalive ({@link PeerLink#keepalive}), unless one is still waiting.
     */
    public void keepalive() {
        if (!closing.get() && keepalivePending.compareAndSet(false, true)) {
            queue.add(KEEPALIVE);
        }
    }

    /**
     * Writes everything already queued, then {@code last}, then closes the connection in order.
     *
     * @param last  a final message (e.g. a fatal error), or null
     * @param cause why the connection closes
     */
    public void closeAfter(ServerMessage last, CloseCause cause) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (last != null) {
            queue.add(last);
            onQueued.accept(last);
        }
        queue.add(cause);
    }

    /**
     * Drops whatever is queued and tears the connection down now.
     *
     * @param cause why
     */
    public void abort(CloseCause cause) {
        closing.set(true);
        if (terminate()) {
            link.abort(cause);
            writer.interrupt();
        }
    }

    /**
     * @return the transport of the connection, for logs and metrics
     */
    public String transport() {
        return link.transport();
    }

    /**
     * @return messages waiting to be written
     */
    public int queued() {
        return queued.get();
    }

    private void writeLoop() {
        try {
            while (true) {
                Object item = queue.take();
                if (item instanceof ServerMessage message) {
                    queued.decrementAndGet();
                    queuedBytes.addAndGet(-message.getSerializedSize());
                    link.write(message);
                } else if (item == KEEPALIVE) {
                    keepalivePending.set(false);
                    link.keepalive();
                } else {
                    link.close((CloseCause) item);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // aborted: the link is already being torn down
        } catch (Exception e) {
            LOG.log(DEBUG, "Write failed on a " + link.transport() + " connection; treating it as closed", e);
            link.abort(CloseCause.NORMAL);
        } finally {
            terminate();
        }
    }

    private boolean terminate() {
        if (terminated.compareAndSet(false, true)) {
            closing.set(true);
            // On its own thread: the terminating thread may hold a session's lock (an offer that overflowed), and
            // the callback takes the connection's.
            Thread.ofVirtual().name("switchboard-terminated-" + link.transport()).start(onTerminated);
            return true;
        }
        return false;
    }
}
