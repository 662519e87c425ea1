package dev.switchboard.server.reliability.dedup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.cluster.v1.DedupState;
import dev.switchboard.cluster.v1.PeerGenerations;
import dev.switchboard.signaling.v1.ClientMessage;

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
    private final ReentrantLock lock = new ReentrantLock();
    private final SequenceWindow sequences;
    private final RecentSignals recent;
    private final Map<PeerKey, IceGenerations> peers;

    /**
     * @param settings bounds
     */
    public SignalDeduplicator(DedupSettings settings) {
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
            return sequences.firstTime(sequence);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Decides about an offer, answer or ICE candidate that passed validation, and records it.
     *
     * @param message the client message carrying it
     * @param roomId  its room
     * @param target  its target user
     * @return what to do with it
     */
    public Verdict check(ClientMessage message, String roomId, String target) {
        return check(message, roomId, target, System.nanoTime());
    }

    /** {@link #check(ClientMessage, String, String)} at a given {@link System#nanoTime()} reading. */
    Verdict check(ClientMessage message, String roomId, String target, long nowNanos) {
        long sequence = message.getSequence();
        lock.lock();
        try {
            if (sequence > 0) {
                if (!sequences.firstTime(sequence)) {
                    return Verdict.DUPLICATE;
                }
            } else if (recent.seenBefore(message.getPayloadCase().getNumber(), payload(message), nowNanos)) {
                return Verdict.DUPLICATE;
            }
            IceGenerations generations = peers.computeIfAbsent(new PeerKey(roomId, target), k -> new IceGenerations());
            return switch (message.getPayloadCase()) {
                case OFFER -> {
                    if (sequence > 0 && generations.offerIsStale(sequence)) {
                        yield Verdict.STALE;
                    }
                    generations.described(message.getOffer().getSdp());
                    yield Verdict.NEW;
                }
                case ANSWER -> {
                    generations.described(message.getAnswer().getSdp());
                    yield Verdict.NEW;
                }
                default -> generations.isOld(message.getIceCandidate().getUsernameFragment())
                        ? Verdict.STALE : Verdict.NEW;
            };
        } finally {
            lock.unlock();
        }
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

    private static com.google.protobuf.MessageLite payload(ClientMessage message) {
        return switch (message.getPayloadCase()) {
            case OFFER -> message.getOffer();
            case ANSWER -> message.getAnswer();
            default -> message.getIceCandidate();
        };
    }

    private record PeerKey(String roomId, String target) {
    }
}
