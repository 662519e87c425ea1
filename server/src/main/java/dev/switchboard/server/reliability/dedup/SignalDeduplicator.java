package dev.switchboard.server.reliability.dedup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import com.google.protobuf.MessageLite;
import dev.switchboard.cluster.v1.DedupState;
import dev.switchboard.cluster.v1.PeerGenerations;

/**
 * Duplicate and staleness detection for one session's inbound messages. It belongs to the session, so it
 * survives a resume and catches the re-sends that follow one.
 * <p>
 * Numbered messages are new once per sequence number. Unnumbered signals (legacy clients) are duplicates when
 * byte-identical to one sent within the TTL. Per peer, an offer numbered below the last offer relayed is stale,
 * and so is an ICE candidate of a generation that a later offer or answer replaced. Every structure is bounded,
 * so memory does not grow with traffic. Thread-safe: a session's old and new connection may overlap briefly
 * during a resume.
 */
public final class SignalDeduplicator {
    /** Kinds for recognising unnumbered re-sends: the same bytes as an offer and as an answer differ. */
    private static final int OFFER = 1;
    private static final int ANSWER = 2;
    private static final int CANDIDATE = 3;

    private final ReentrantLock lock = new ReentrantLock();
    private final SequenceWindow sequences;
    private final RecentSignals recent;
    private final Map<PeerKey, IceGenerations> peers;
    /** Told of each sequence processed for the first time (under the lock: it must only take note). */
    private final Runnable processed;

    /**
     * @param settings bounds
     */
    public SignalDeduplicator(DedupSettings settings) {
        this(settings, () -> { });
    }

    /**
     * @param settings  bounds
     * @param processed told of each sequence processed for the first time, under this deduplicator's lock (it
     *                  must only take note: a cluster marks the session's state to be written)
     */
    public SignalDeduplicator(DedupSettings settings, Runnable processed) {
        this.processed = processed;
        this.sequences = new SequenceWindow(settings.sequenceWindow());
        this.recent = new RecentSignals(settings.legacyTtl().toNanos(), settings.legacyMaxEntries());
        int maxPairs = settings.maxPairs();
        this.peers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<PeerKey, IceGenerations> eldest) {
                return size() > maxPairs;
            }
        };
    }

    /**
     * Records a numbered message of any kind as processed.
     *
     * @param sequence its client sequence, at least 1
     * @return true the first time; false when it was processed before and must not be applied again
     */
    public boolean firstTime(long sequence) {
        lock.lock();
        try {
            if (!sequences.firstTime(sequence)) {
                return false;
            }
            processed.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Decides about an offer that passed validation, and records it: a duplicate, stale when an offer with a
     * higher sequence was relayed to the same peer, else new (and its SDP's ICE generation becomes the current).
     *
     * @param sequence its client sequence, 0 when unnumbered
     * @param payload  the offer, for recognising an unnumbered re-send
     * @param roomId   its room
     * @param target   its target user
     * @param sdp      its SDP
     * @param nowNanos a {@link System#nanoTime()} reading
     * @return what to do with it
     */
    public Verdict offer(long sequence, MessageLite payload, String roomId, String target, String sdp,
                         long nowNanos) {
        lock.lock();
        try {
            if (seenBefore(sequence, OFFER, payload, nowNanos)) {
                return Verdict.DUPLICATE;
            }
            IceGenerations generations = generations(roomId, target);
            if (sequence > 0 && generations.offerIsStale(sequence)) {
                return Verdict.STALE;
            }
            generations.described(sdp);
            return Verdict.NEW;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Decides about an answer that passed validation, and records it: a duplicate, else new (and its SDP's ICE
     * generation becomes the current).
     *
     * @param sequence its client sequence, 0 when unnumbered
     * @param payload  the answer, for recognising an unnumbered re-send
     * @param roomId   its room
     * @param target   its target user
     * @param sdp      its SDP
     * @param nowNanos a {@link System#nanoTime()} reading
     * @return what to do with it
     */
    public Verdict answer(long sequence, MessageLite payload, String roomId, String target, String sdp,
                          long nowNanos) {
        lock.lock();
        try {
            if (seenBefore(sequence, ANSWER, payload, nowNanos)) {
                return Verdict.DUPLICATE;
            }
            generations(roomId, target).described(sdp);
            return Verdict.NEW;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Decides about an ICE candidate that passed validation, and records it: a duplicate, stale when its
     * generation was replaced by a later offer or answer, else new.
     *
     * @param sequence its client sequence, 0 when unnumbered
     * @param payload  the candidate, for recognising an unnumbered re-send
     * @param roomId   its room
     * @param target   its target user
     * @param ufrag    its username fragment, empty when it names none (it belongs to the current generation)
     * @param nowNanos a {@link System#nanoTime()} reading
     * @return what to do with it
     */
    public Verdict candidate(long sequence, MessageLite payload, String roomId, String target, String ufrag,
                             long nowNanos) {
        lock.lock();
        try {
            if (seenBefore(sequence, CANDIDATE, payload, nowNanos)) {
                return Verdict.DUPLICATE;
            }
            return generations(roomId, target).isOld(ufrag) ? Verdict.STALE : Verdict.NEW;
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held: numbered by sequence, unnumbered by content within the TTL. */
    private boolean seenBefore(long sequence, int kind, MessageLite payload, long nowNanos) {
        if (sequence > 0) {
            if (!sequences.firstTime(sequence)) {
                return true;
            }
            processed.run();
            return false;
        }
        return recent.seenBefore(kind, payload, nowNanos);
    }

    private IceGenerations generations(String roomId, String target) {
        return peers.computeIfAbsent(new PeerKey(roomId, target), k -> new IceGenerations());
    }

    /**
     * Forgets that a numbered signal was processed, because relaying it failed after all (another node could not
     * be reached): the client's re-send must be relayed, not dropped as a duplicate.
     *
     * @param sequence its client sequence
     */
    public void retract(long sequence) {
        lock.lock();
        try {
            sequences.retract(sequence);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The numbered-message state, for a session moving to another node. Unnumbered (legacy) signals are
     * remembered per node only.
     *
     * @return the state
     */
    public DedupState snapshot() {
        lock.lock();
        try {
            DedupState.Builder state = DedupState.newBuilder().setHighest(sequences.highest());
            for (long word : sequences.words()) {
                state.addWindow(word);
            }
            peers.forEach((key, generations) -> state.addPeers(
                    generations.snapshot().setRoomId(key.roomId()).setTargetUserId(key.target())));
            return state.build();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes over the state {@link #snapshot} described on another node.
     *
     * @param state the state
     */
    public void restore(DedupState state) {
        lock.lock();
        try {
            sequences.restore(state.getHighest(), state.getWindowList().stream().mapToLong(Long::longValue).toArray());
            for (PeerGenerations peer : state.getPeersList()) {
                peers.put(new PeerKey(peer.getRoomId(), peer.getTargetUserId()), IceGenerations.restored(peer));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the highest client sequence processed, 0 for none
     */
    public long lastProcessedSequence() {
        lock.lock();
        try {
            return sequences.highest();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return how many entries the structures hold (unnumbered signals remembered, peers tracked); for tests
     *         showing the state stays bounded
     */
    public int trackedEntries() {
        lock.lock();
        try {
            return recent.size() + peers.size();
        } finally {
            lock.unlock();
        }
    }

    private record PeerKey(String roomId, String target) {
    }
}
