package dev.switchboard.server.cluster.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.switchboard.cluster.v1.NodeEnvelope;
import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.cluster.ClusterMetrics;
import dev.switchboard.server.cluster.backend.ClusterBackend;
import dev.switchboard.server.cluster.backend.StoreOp;
import dev.switchboard.server.cluster.backend.WriteBatch;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * Everything a node writes to the backend, queued for the one thread that writes it ({@link OutgoingWriter}):
 * group commit. Callers only queue (under a short lock of this class's own, never waiting on the backend); the
 * writer takes everything queued and writes it as one batch, one batch at a time, so under load a write carries
 * many envelopes and the cost per signal falls.
 * <p>
 * Envelopes and held messages go out with the next batch: a relay's ack waits for them. The sessions' mirror
 * (messages sent, records) is written at most every {@code mirrorInterval}, coalesced per session
 * ({@link MirrorQueue}).
 */
final class Outgoing {
    private final String nodeId;
    private final Thread writer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    // guarded by lock
    private final Map<String, Long> numbered = new HashMap<>();
    private Map<String, List<NodeEnvelope>> envelopes = new LinkedHashMap<>();
    private List<StoreOp> urgent = new ArrayList<>();
    private CompletableFuture<Void> nextWrite = new CompletableFuture<>();
    private final MirrorQueue mirror;
    private int mirrorInFlight;
    private boolean stale;
    private boolean running = true;

    Outgoing(String nodeId, ClusterBackend backend, ClusterMetrics metrics, Duration mirrorInterval,
             Duration writeTimeout) {
        this.nodeId = nodeId;
        this.mirror = new MirrorQueue(mirrorInterval.toNanos());
        this.writer = Thread.ofPlatform().name("switchboard-cluster-writer").daemon()
                .unstarted(new OutgoingWriter(this, backend, metrics, writeTimeout));
    }

    void start() {
        writer.start();
    }

    /**
     * Queues an envelope for another node's mailbox, numbered in the order of the calls for that node.
     *
     * @return completes once the backend holds it
     */
    CompletionStage<Void> envelope(String to, NodeEnvelope.Builder envelope) {
        lock.lock();
        try {
            long sequence = numbered.merge(to, 1L, Long::sum);
            envelopes.computeIfAbsent(to, node -> new ArrayList<>())
                    .add(envelope.setFromNodeId(nodeId).setSequence(sequence).build());
            work.signal();
            return nextWrite;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a session write that a caller waits for (a message held for a session of a dead node).
     *
     * @return completes once the backend holds it
     */
    CompletionStage<Void> urgent(StoreOp op) {
        lock.lock();
        try {
            urgent.add(op);
            work.signal();
            return nextWrite;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a session write for the next mirror write, in order with the other ordered writes. */
    void mirror(StoreOp op) {
        lock.lock();
        try {
            mirror.add(op);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** A message a session was sent; written with the session's others at the next mirror write. */
    void sent(String sessionId, ServerMessage message, int replaySize) {
        lock.lock();
        try {
            if (mirror.sent(sessionId, message, replaySize)) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A session's record changed; it is read and written at the next mirror write. */
    void saved(String sessionId, Supplier<SessionRecord> record) {
        lock.lock();
        try {
            if (mirror.saved(sessionId, record)) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is queued for a session that another node owns now: its writes would overwrite that node's. */
    void forget(String sessionId) {
        lock.lock();
        try {
            mirror.forget(sessionId);
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return session writes queued or being written: 0 once everything sessions did so far is in the backend
     */
    int mirrorPending() {
        lock.lock();
        try {
            return mirror.size() + mirrorInFlight;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return whether a write failed since the last call: the node must write its state again
     */
    boolean takeStale() {
        lock.lock();
        try {
            boolean was = stale;
            stale = false;
            return was;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            running = false;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** The writer's batch is written, or failed: nothing of it is in flight any more. */
    void writeEnded(boolean failed) {
        lock.lock();
        try {
            mirrorInFlight = 0;
            stale |= failed;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for work, then takes the batch: what is urgent, and the mirror when it is due. Null once closed. */
    TakenBatch take() {
        lock.lock();
        try {
            while (true) {
                if (!running) {
                    return null;
                }
                boolean mirrorWaiting = mirror.size() > 0;
                long untilMirror = mirror.untilDue();
                boolean mirrorNow = mirrorWaiting && untilMirror <= 0;
                if (!envelopes.isEmpty() || !urgent.isEmpty() || mirrorNow) {
                    return takeLocked(mirrorNow);
                }
                if (mirrorWaiting) {
                    work.awaitNanos(untilMirror);
                } else {
                    work.awaitUninterruptibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    private TakenBatch takeLocked(boolean mirrorNow) {
        List<StoreOp> store = new ArrayList<>(urgent);
        urgent = new ArrayList<>();
        List<Supplier<SessionRecord>> changed = mirrorNow ? mirror.takeInto(store) : List.of();
        // counted as in flight from the moment they leave the queues, under this lock: otherwise mirrorPending()
        // reads 0 between the take and the write, and a node that stops then loses what it had "written"
        mirrorInFlight = store.size() + changed.size();
        int count = envelopes.values().stream().mapToInt(List::size).sum();
        TakenBatch taken = new TakenBatch(new WriteBatch(envelopes, store), changed, nextWrite, count);
        envelopes = new LinkedHashMap<>();
        nextWrite = new CompletableFuture<>();
        return taken;
    }
}
