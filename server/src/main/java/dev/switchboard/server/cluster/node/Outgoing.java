package dev.switchboard.server.cluster.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.switchboard.cluster.v1.NodeEnvelope;
import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.cluster.ClusterMetrics;
import dev.switchboard.server.cluster.ClusterUnavailableException;
import dev.switchboard.server.cluster.backend.ClusterBackend;
import dev.switchboard.server.cluster.backend.StoreOp;
import dev.switchboard.server.cluster.backend.WriteBatch;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.WARNING;

/**
 * Everything a node writes to the backend, and the one thread that writes it: group commit. Callers only queue
 * (under a short lock of this class's own, never waiting on the backend); the writer takes everything queued and
 * writes it as one batch, one batch at a time, so under load a write carries many envelopes and the cost per
 * signal falls.
 * <p>
 * Envelopes and held messages go out with the next batch: a relay's ack waits for them. The sessions' mirror
 * (messages sent, records) is written at most every {@code mirrorInterval}, coalesced per session: a record
 * that changed a hundred times in between is written once, and a session's messages go in one append.
 */
final class Outgoing {
    private static final System.Logger LOG = System.getLogger("switchboard.cluster");

    private final String nodeId;
    private final ClusterBackend backend;
    private final ClusterMetrics metrics;
    private final long mirrorIntervalNanos;
    private final Duration writeTimeout;
    private final Thread writer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    // guarded by lock
    private final Map<String, Long> numbered = new HashMap<>();
    private Map<String, List<NodeEnvelope>> envelopes = new LinkedHashMap<>();
    private List<StoreOp> urgent = new ArrayList<>();
    private CompletableFuture<Void> nextWrite = new CompletableFuture<>();
    private List<StoreOp> ordered = new ArrayList<>();
    private Map<String, PendingAppend> appends = new LinkedHashMap<>();
    private Map<String, Supplier<SessionRecord>> records = new LinkedHashMap<>();
    private Set<String> removed = new HashSet<>();
    private long mirrorDue = System.nanoTime();
    private int mirrorInFlight;
    private boolean stale;
    private boolean running = true;

    Outgoing(String nodeId, ClusterBackend backend, ClusterMetrics metrics, Duration mirrorInterval,
             Duration writeTimeout) {
        this.nodeId = nodeId;
        this.backend = backend;
        this.metrics = metrics;
        this.mirrorIntervalNanos = mirrorInterval.toNanos();
        this.writeTimeout = writeTimeout;
        this.writer = Thread.ofPlatform().name("switchboard-cluster-writer").daemon().unstarted(this::writeLoop);
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
            if (op instanceof StoreOp.Removed gone) {
                forgetLocked(gone.sessionId());
                removed.add(gone.sessionId());
            }
            ordered.add(op);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** A message a session was sent; written with the session's others at the next mirror write. */
    void sent(String sessionId, ServerMessage message, int replaySize) {
        lock.lock();
        try {
            if (!removed.contains(sessionId)) {
                appends.computeIfAbsent(sessionId, id -> new PendingAppend()).add(message, replaySize);
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
            if (!removed.contains(sessionId)) {
                records.put(sessionId, record);
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
            forgetLocked(sessionId);
        } finally {
            lock.unlock();
        }
    }

    private void forgetLocked(String sessionId) {
        appends.remove(sessionId);
        records.remove(sessionId);
    }

    /**
     * @return session writes queued or being written: 0 once everything sessions did so far is in the backend
     */
    int mirrorPending() {
        lock.lock();
        try {
            return ordered.size() + appends.size() + records.size() + mirrorInFlight;
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

    private void writeLoop() {
        while (true) {
            Taken taken = take();
            if (taken == null) {
                return;
            }
            WriteBatch batch = taken.batch();
            try {
                backend.write(batch).toCompletableFuture()
                        .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
                metrics.envelopes("sent", taken.envelopes());
                if (!batch.store().isEmpty()) {
                    metrics.mirrored(batch.store().size());
                }
                taken.done().complete(null);
            } catch (InterruptedException e) {
                taken.done().completeExceptionally(new ClusterUnavailableException("writing to the backend", e));
                return;
            } catch (Exception e) {
                failed(taken, batch, e);
            } finally {
                setInFlight(0);
            }
        }
    }

    private void setInFlight(int writes) {
        lock.lock();
        try {
            mirrorInFlight = writes;
        } finally {
            lock.unlock();
        }
    }

    private void failed(Taken taken, WriteBatch batch, Exception failure) {
        taken.done().completeExceptionally(new ClusterUnavailableException("writing to the backend", failure));
        if (!batch.store().isEmpty()) {
            metrics.mirrorWriteFailed();
        }
        lock.lock();
        try {
            stale = true;
        } finally {
            lock.unlock();
        }
        LOG.log(WARNING, "Cluster write failed (" + taken.envelopes() + " envelopes, " + batch.store().size()
                + " session writes): " + failure);
    }

    /** Waits for work, then takes the batch: what is urgent, and the mirror when it is due. Null once closed. */
    private Taken take() {
        lock.lock();
        try {
            while (true) {
                if (!running) {
                    return null;
                }
                boolean mirrorWaiting = !ordered.isEmpty() || !appends.isEmpty() || !records.isEmpty();
                long untilMirror = mirrorDue - System.nanoTime();
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

    private Taken takeLocked(boolean mirrorNow) {
        List<StoreOp> store = new ArrayList<>(urgent);
        urgent = new ArrayList<>();
        List<Supplier<SessionRecord>> changed = List.of();
        if (mirrorNow) {
            store.addAll(ordered);
            appends.forEach((sessionId, append) -> store.add(append.op(sessionId)));
            changed = List.copyOf(records.values());
            ordered = new ArrayList<>();
            appends = new LinkedHashMap<>();
            records = new LinkedHashMap<>();
            removed = new HashSet<>();
            mirrorDue = System.nanoTime() + mirrorIntervalNanos;
        }
        // counted as in flight from the moment they leave the queues, under this lock: otherwise mirrorPending()
        // reads 0 between the take and the write, and a node that stops then loses what it had "written"
        mirrorInFlight = store.size() + changed.size();
        int count = envelopes.values().stream().mapToInt(List::size).sum();
        Taken taken = new Taken(new WriteBatch(envelopes, store), changed, nextWrite, count);
        envelopes = new LinkedHashMap<>();
        nextWrite = new CompletableFuture<>();
        return taken;
    }

    /**
     * A batch taken for writing, and what completes when it is written. The changed records are read after this
     * class's lock is released: reading one takes its session's locks, under which sessions call in here.
     */
    private record Taken(WriteBatch taken, List<Supplier<SessionRecord>> changed, CompletableFuture<Void> done,
                         int envelopes) {
        WriteBatch batch() {
            if (changed.isEmpty()) {
                return taken;
            }
            List<StoreOp> store = new ArrayList<>(taken.store());
            changed.forEach(record -> store.add(new StoreOp.Saved(record.get())));
            return new WriteBatch(taken.envelopes(), store);
        }
    }

    /** The messages a session was sent since the last mirror write. */
    private static final class PendingAppend {
        private final List<ServerMessage> kept = new ArrayList<>();
        private int replaySize;
        private long lastSequence;

        void add(ServerMessage message, int size) {
            if (size > 0) {
                kept.add(message);
                replaySize = size;
            }
            lastSequence = message.getSequence();
        }

        StoreOp op(String sessionId) {
            return new StoreOp.Appended(sessionId, kept, replaySize, lastSequence);
        }
    }
}
