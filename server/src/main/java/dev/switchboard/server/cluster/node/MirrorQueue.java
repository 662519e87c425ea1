package dev.switchboard.server.cluster.node;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.cluster.backend.StoreOp;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * The sessions' mirror writes that wait for the next mirror interval, coalesced per session: a record that changed
 * a hundred times in between is written once, and a session's messages go in one append. Not thread-safe: only
 * {@link Outgoing} calls it, holding its lock.
 */
final class MirrorQueue {
    /** Messages appended to a session's stored list between two trims of it. */
    static final int TRIM_EVERY = 64;

    private final long intervalNanos;
    private List<StoreOp> ordered = new ArrayList<>();
    private Map<String, PendingAppend> appends = new LinkedHashMap<>();
    private Map<String, Supplier<SessionRecord>> records = new LinkedHashMap<>();
    /** Sessions removed in this interval: what they send or save until the next one is not written. */
    private Set<String> removed = new HashSet<>();
    /**
     * Per session this node mirrors: messages appended to its stored list since it was last trimmed (absent: none
     * appended yet by this node).
     */
    private final Map<String, Integer> sinceTrim = new HashMap<>();
    private long due = System.nanoTime();

    MirrorQueue(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Queues a write that keeps its place among the others of its kind (a session created, removed). */
    void add(StoreOp op) {
        if (op instanceof StoreOp.Removed gone) {
            forget(gone.sessionId());
            removed.add(gone.sessionId());
        }
        ordered.add(op);
    }

    /** @return false when the message is dropped: its session was removed */
    boolean sent(String sessionId, ServerMessage message, int replaySize) {
        if (removed.contains(sessionId)) {
            return false;
        }
        appends.computeIfAbsent(sessionId, id -> new PendingAppend()).add(message, replaySize);
        return true;
    }

    /** @return false when the record is dropped: its session was removed */
    boolean saved(String sessionId, Supplier<SessionRecord> record) {
        if (removed.contains(sessionId)) {
            return false;
        }
        records.put(sessionId, record);
        return true;
    }

    void forget(String sessionId) {
        appends.remove(sessionId);
        records.remove(sessionId);
        sinceTrim.remove(sessionId);
    }

    /** @return session writes waiting */
    int size() {
        return ordered.size() + appends.size() + records.size();
    }

    /** @return nanoseconds until the next mirror write is due (0 or less: due now) */
    long untilDue() {
        return due - System.nanoTime();
    }

    /**
     * Takes what waits into {@code store}, in order, and starts the next interval.
     *
     * @return the records that changed, to be read once the caller's lock is released
     */
    List<Supplier<SessionRecord>> takeInto(List<StoreOp> store) {
        store.addAll(ordered);
        appends.forEach((sessionId, append) -> store.add(append.op(sessionId, sinceTrim)));
        List<Supplier<SessionRecord>> changed = List.copyOf(records.values());
        ordered = new ArrayList<>();
        appends = new LinkedHashMap<>();
        records = new LinkedHashMap<>();
        removed = new HashSet<>();
        due = System.nanoTime() + intervalNanos;
        return changed;
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

        /** @param sinceTrim per session, messages appended since its list was last trimmed; updated */
        StoreOp op(String sessionId, Map<String, Integer> sinceTrim) {
            Integer before = sinceTrim.get(sessionId);
            if (before == null && kept.isEmpty()) {
                // nothing for the list yet: its first write, which gives it its expiry, is still to come
                return new StoreOp.Appended(sessionId, kept, replaySize, lastSequence, false, false);
            }
            int untrimmed = (before == null ? 0 : before) + kept.size();
            boolean trim = before == null || untrimmed >= TRIM_EVERY;
            sinceTrim.put(sessionId, trim ? 0 : untrimmed);
            return new StoreOp.Appended(sessionId, kept, replaySize, lastSequence, before == null, trim);
        }
    }
}
