package dev.switchboard.server.session;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.server.transport.PeerLink;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The messages waiting to be written to one connection, and the one virtual thread ({@link OutboxWriter}) that
 * writes them.
 * <p>
 * Any thread may {@link #offer} a message; none of them ever blocks on the peer's socket. Messages are written in
 * the order they were offered. The writer takes everything queued at once ({@link OutboxQueue}) and hands it to
 * the link, which writes the batch with as few socket writes as its transport allows ({@link PeerLink#flush}):
 * under load one wake-up and one write carry many messages. The queue is bounded in messages and in bytes, and
 * what it holds beyond {@link #ALLOWANCE} counts against the server's {@link BufferBudget}: a peer that reads too
 * slowly for it to drain (or a queue the budget cannot hold) is disconnected as a slow consumer instead of
 * stalling its senders or growing memory without bound.
 * <p>
 * The connection's own reader is the one sender that may wait: {@link #awaitRoom} holds it back while half the
 * queue waits, so a client that sends requests faster than it reads their answers is slowed to its own pace
 * instead of being dropped as a slow consumer it is not (its answers would otherwise pile up behind a writer
 * that a busy machine schedules late).
 */
public final class Outbox {
    private static final System.Logger LOG = System.getLogger("switchboard.session");
    /** Marks a keepalive in the queue. */
    static final Object KEEPALIVE = new Object();
    /** What a connection may have queued without charging the budget: more than one that keeps up ever has. */
    public static final long ALLOWANCE = 16 * 1024;

    private final PeerLink link;
    private final Runnable onTerminated;
    private final Consumer<ServerMessage> onQueued;
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final Thread writer;
    private final OutboxQueue queue;
    /** Run by the writer before it takes a batch, when asked to by {@link #flushSoon}. */
    private volatile Runnable beforeWrite = () -> { };

    /**
     * Creates the outbox and starts its writer.
     *
     * @param link         the connection to write to
     * @param limit        messages that may wait before the peer counts as a slow consumer
     * @param byteLimit    encoded bytes that may wait before the peer counts as a slow consumer
     * @param budget       the bytes all connections and sessions together may hold
     * @param onTerminated called once, on a thread of its own, when the link is closed or broken
     * @param onQueued     told of each message queued for the first time (not of replays), for metrics
     */
    public Outbox(PeerLink link, int limit, long byteLimit, BufferBudget budget, Runnable onTerminated,
                  Consumer<ServerMessage> onQueued) {
        this.link = link;
        this.onTerminated = onTerminated;
        this.onQueued = onQueued;
        this.writer = Thread.ofVirtual().name("switchboard-writer-" + link.transport())
                .unstarted(new OutboxWriter(this, link));
        this.queue = new OutboxQueue(limit, byteLimit, budget.account(ALLOWANCE), writer);
        writer.start();
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
        return switch (queue.offer(message, message.getSerializedSize())) {
            case QUEUED -> true;
            case CLOSING -> false;
            case OVERFLOWED -> {
                LOG.log(WARNING, "Slow consumer: " + queue.overflow() + " on a " + link.transport()
                        + " connection; disconnecting it");
                abort(CloseCause.SLOW_CONSUMER);
                yield false;
            }
        };
    }

    /**
     * @param hook what the writer runs before it takes its next batch after {@link #flushSoon}: the session's
     *             stream adds its pending acknowledgements to the queue then
     */
    public void beforeEachWrite(Runnable hook) {
        beforeWrite = hook;
    }

    /**
     * Asks the writer to run its {@link #beforeEachWrite} hook before its next write, and to write soon even if
     * nothing else is queued.
     */
    public void flushSoon() {
        queue.requestFlush();
    }

    /**
     * Queues a transport-level keepalive ({@link PeerLink#keepalive}), unless one is still waiting.
     */
    public void keepalive() {
        queue.keepalive(KEEPALIVE);
    }

    /**
     * Writes everything already queued, then {@code last}, then closes the connection in order.
     *
     * @param last  a final message (e.g. a fatal error), or null
     * @param cause why the connection closes
     */
    public void closeAfter(ServerMessage last, CloseCause cause) {
        if (queue.end(last, cause) && last != null) {
            onQueued.accept(last);
        }
    }

    /**
     * Drops whatever is queued and tears the connection down now. The first cause is the one the peer is told.
     *
     * @param cause why
     */
    public void abort(CloseCause cause) {
        queue.closeNow();
        if (terminate()) {
            // The link frees a writer blocked on the peer its own way (a WebSocket closes its socket, a gRPC call
            // waits out HTTP/2 flow control): interrupting the writer could cut a frame in half, and on a shared
            // HTTP/2 connection that breaks every other call on it.
            link.abort(cause);
            LockSupport.unpark(writer);     // an idle writer sees the end and stops
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
        return queue.queued();
    }

    /**
     * Holds the connection's reader back, before it handles its next message, while more than half the queue
     * limit waits to be written and the writer is keeping up; returns once a quarter is left, the outbox closes,
     * the writer has been stuck in one write for 100 ms (the peer reads too slowly: the slow-consumer limit is for
     * it, not the reader's wait), or {@code maxWaitMillis} passes. Call it holding no lock.
     *
     * @param maxWaitMillis the longest the reader waits
     * @throws InterruptedException when the reader is interrupted
     */
    public void awaitRoom(long maxWaitMillis) throws InterruptedException {
        queue.awaitRoom(maxWaitMillis);
    }

    /**
     * Takes everything queued into {@code batch}, after the {@link #beforeEachWrite} hook when a flush was asked.
     *
     * @return false when there was nothing and the writer may park (the next offer wakes it)
     */
    boolean takeBatch(List<Object> batch) {
        batch.clear();
        if (queue.takeFlushRequest()) {
            beforeWrite.run();     // holding no lock: the hook takes its stream's lock, then the queue's
        }
        return queue.takeInto(batch);
    }

    /**
     * The writer wrote a batch: its messages no longer count against the queue's limits and the budget.
     *
     * @param messages messages written
     * @param bytes    their encoded size
     */
    void written(int messages, long bytes) {
        queue.written(messages, bytes);
    }

    /** The writer is about to write a batch ({@code true}), or has written it. */
    void writing(boolean started) {
        queue.writing(started);
    }

    /** @return whether the link is being torn down: the writer stops */
    boolean terminated() {
        return terminated.get();
    }

    /** The writer has stopped, for whatever reason: the link is done with, and nothing queued is held. */
    void writerStopped() {
        terminate();
        queue.release();
    }

    private boolean terminate() {
        if (terminated.compareAndSet(false, true)) {
            // On its own thread: the terminating thread may hold a session's lock (an offer that overflowed), and
            // the callback takes the connection's.
            Thread.ofVirtual().name("switchboard-terminated-" + link.transport()).start(onTerminated);
            return true;
        }
        return false;
    }
}
