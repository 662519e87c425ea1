package dev.switchboard.server.session;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * What an {@link Outbox} holds for its writer, and the hand-off between the threads that queue and the one that
 * writes: a sender that queues wakes the writer only when it is parked, and the writer takes everything at once.
 * Messages count against the limits (and, beyond the allowance, the server's {@link BufferBudget}) until they are
 * written, not until they are taken: a batch stuck in a write is what makes a consumer slow.
 * <p>
 * Safe from any thread; its lock is held only for a few field updates and never while waiting on anything but its
 * own condition.
 */
final class OutboxQueue {
    /** A write that takes longer than this is blocked on the peer, not waiting for a processor. */
    private static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** What became of an offered message: queued, refused because the queue is closing, or it did not fit. */
    enum Offer { QUEUED, CLOSING, OVERFLOWED }

    private final int limit;
    private final long byteLimit;
    private final BufferBudget.Account budget;
    private final Thread writer;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the queue has drained to a quarter of its limit, or closes. */
    private final Condition drained = lock.newCondition();
    // guarded by lock
    /** {@link ServerMessage}s and keepalives, and finally one {@link CloseCause} that ends the writer. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** Written under the lock; volatile so that {@link #awaitRoom} can look without it. */
    private volatile int queued;
    /** When the writer's current write began ({@link System#nanoTime}), or 0 between writes. */
    private volatile long writeStartedNanos;
    private long queuedBytes;
    private boolean closing;
    private boolean keepalivePending;
    private boolean flushRequested;
    private boolean writerIdle;
    /** Why the last refused offer overflowed, for the log. */
    private volatile String overflow;

    /**
     * @param writer the (not yet started) thread that takes from this queue; it parks when there is nothing
     */
    OutboxQueue(int limit, long byteLimit, BufferBudget.Account budget, Thread writer) {
        this.limit = limit;
        this.byteLimit = byteLimit;
        this.budget = budget;
        this.writer = writer;
    }

    Offer offer(ServerMessage message, int size) {
        lock.lock();
        try {
            if (closing) {
                return Offer.CLOSING;
            }
            if (queued + 1 > limit || queuedBytes + size > byteLimit) {
                overflow = queued + " messages (" + queuedBytes + " bytes) queued";
                return Offer.OVERFLOWED;
            }
            if (!budget.tryAdd(size)) {
                overflow = "the server's buffer budget (limits.buffer-budget) is spent";
                return Offer.OVERFLOWED;
            }
            append(message, size);
            wakeWriter();
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** @return why the last offer overflowed: the connection is a slow consumer */
    String overflow() {
        return overflow;
    }

    /** Asks the writer for a write soon, even with nothing queued (its flush request is taken before the batch). */
    void requestFlush() {
        lock.lock();
        try {
            if (!closing && !flushRequested) {
                flushRequested = true;
                wakeWriter();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues a keepalive marker, unless one is still waiting. */
    void keepalive(Object marker) {
        lock.lock();
        try {
            if (!closing && !keepalivePending) {
                keepalivePending = true;
                queue.add(marker);
                wakeWriter();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a connection's last message (never refused: nothing comes after it) and what ends it.
     *
     * @return false when the queue was closing already; then nothing is queued
     */
    boolean end(ServerMessage last, CloseCause cause) {
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            close();
            if (last != null) {
                budget.forceAdd(last.getSerializedSize());
                append(last, last.getSerializedSize());
            }
            queue.add(cause);
            wakeWriter();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Accepts nothing more; a reader waiting for room goes on. */
    void closeNow() {
        lock.lock();
        try {
            close();
        } finally {
            lock.unlock();
        }
    }

    /** @return messages waiting to be written */
    int queued() {
        return queued;
    }

    /** See {@link Outbox#awaitRoom}. */
    void awaitRoom(long maxWaitMillis) throws InterruptedException {
        if (queued <= limit / 2) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        lock.lock();
        try {
            while (queued > limit / 4 && !closing) {
                long now = System.nanoTime();
                long writing = writeStartedNanos;
                if (now >= deadline || (writing != 0 && now - writing > STUCK_NANOS)) {
                    return;
                }
                drained.awaitNanos(Math.min(deadline - now, STUCK_NANOS));
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return whether a flush was requested since the last call */
    boolean takeFlushRequest() {
        lock.lock();
        try {
            boolean requested = flushRequested;
            flushRequested = false;
            return requested;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes everything queued into {@code batch}.
     *
     * @return false when there was nothing and the writer may park (it is marked idle: the next offer wakes it)
     */
    boolean takeInto(List<Object> batch) {
        lock.lock();
        try {
            if (queue.isEmpty()) {
                writerIdle = !flushRequested;
                return flushRequested;    // asked to flush meanwhile: go round again instead of parking
            }
            batch.addAll(queue);
            queue.clear();
            keepalivePending = false;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The writer is about to write a batch ({@code true}), or has written it. */
    void writing(boolean started) {
        writeStartedNanos = started ? System.nanoTime() | 1 : 0;     // never 0 while writing
    }

    /** A batch was written: its messages no longer count. */
    void written(int messages, long bytes) {
        lock.lock();
        try {
            queued -= messages;
            queuedBytes -= bytes;
            budget.remove(bytes);
            if (queued <= limit / 4) {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The writer has stopped: nothing queued will be written, and none of it is held or counted any more. */
    void release() {
        lock.lock();
        try {
            close();
            budget.clear();
            queuedBytes = 0;
            queued = 0;
            queue.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held. */
    private void close() {
        closing = true;
        drained.signalAll();
    }

    /** Called with the lock held. */
    private void append(ServerMessage message, int size) {
        queue.add(message);
        queued++;
        queuedBytes += size;
    }

    /** Called with the lock held. */
    private void wakeWriter() {
        if (writerIdle) {
            writerIdle = false;
            LockSupport.unpark(writer);
        }
    }
}
