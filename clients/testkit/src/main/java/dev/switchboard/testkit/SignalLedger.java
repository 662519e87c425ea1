package dev.switchboard.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * A client's half of the protocol's numbering, as the SDKs keep it: the sequence of its next message, the highest
 * server sequence it has received (which it reports back as {@code last_received_sequence} so the server can trim
 * its replay buffer), and the signals it sent that no {@code ack} or {@code ack_range} has confirmed yet, oldest
 * first, each with what the client would send again after a resume.
 * <p>
 * A ring of sequences rather than a sorted map: the load generator keeps one per simulated peer on its hot path,
 * and acks nearly always confirm the oldest signal. Not thread-safe: one peer's thread owns it.
 *
 * @param <M> what is kept with each signal for re-sending (the load generator keeps nothing: {@code Void})
 */
public final class SignalLedger<M> {
    private long sequence;
    private long lastReceived;
    private long[] sequences = new long[64];
    private Object[] kept = new Object[64];
    private int head;
    private int count;

    /**
     * @return the sequence for the next message the client sends
     */
    public long next() {
        return ++sequence;
    }

    /**
     * Notes a message from the server.
     *
     * @param serverSequence its sequence (0: not numbered)
     * @return whether it is new; false when its sequence was received before (a duplicate delivery)
     */
    public boolean received(long serverSequence) {
        if (serverSequence <= lastReceived) {
            return serverSequence == 0;
        }
        lastReceived = serverSequence;
        return true;
    }

    /**
     * @return the highest server sequence received: the {@code last_received_sequence} to report
     */
    public long lastReceived() {
        return lastReceived;
    }

    /**
     * Keeps a signal just sent until it is acknowledged.
     *
     * @param signalSequence its sequence, from {@link #next()}
     * @param message        what to send again if the server did not process it, or null
     */
    public void sent(long signalSequence, M message) {
        if (count == sequences.length) {
            grow();
        }
        int slot = (head + count++) % sequences.length;
        sequences[slot] = signalSequence;
        kept[slot] = message;
    }

    /**
     * An {@code ack} confirmed one signal (refused ones included: the server has judged them).
     *
     * @param acked the signal's sequence
     * @return whether it was waiting
     */
    public boolean acknowledged(long acked) {
        for (int i = 0; i < count; i++) {
            if (sequences[(head + i) % sequences.length] == acked) {
                for (int j = i; j > 0; j--) {   // close the gap; it is nearly always the oldest, so nothing moves
                    int to = (head + j) % sequences.length;
                    int from = (head + j - 1) % sequences.length;
                    sequences[to] = sequences[from];
                    kept[to] = kept[from];
                }
                kept[head] = null;
                head = (head + 1) % sequences.length;
                count--;
                return true;
            }
        }
        return false;
    }

    /**
     * An {@code ack_range} confirmed every waiting signal up to {@code last}.
     *
     * @param last the range's last sequence
     * @return how many signals it confirmed
     */
    public int acknowledgedThrough(long last) {
        int confirmed = 0;
        while (count > 0 && sequences[head] <= last) {
            kept[head] = null;
            head = (head + 1) % sequences.length;
            count--;
            confirmed++;
        }
        return confirmed;
    }

    /**
     * After a resume: what the server did not process, oldest first, to send again under the same sequences. They
     * stay in the ledger until acknowledged; acks for the rest come in the server's replay.
     *
     * @param lastProcessed {@code welcome.last_processed_sequence}
     * @return the messages kept with the signals after it
     */
    @SuppressWarnings("unchecked")
    public List<M> unprocessedAfter(long lastProcessed) {
        List<M> unprocessed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int slot = (head + i) % sequences.length;
            if (sequences[slot] > lastProcessed) {
                unprocessed.add((M) kept[slot]);
            }
        }
        return unprocessed;
    }

    /**
     * @return signals sent and not acknowledged yet
     */
    public int unacknowledged() {
        return count;
    }

    private void grow() {
        long[] largerSequences = new long[sequences.length * 2];
        Object[] largerKept = new Object[sequences.length * 2];
        for (int i = 0; i < count; i++) {
            largerSequences[i] = sequences[(head + i) % sequences.length];
            largerKept[i] = kept[(head + i) % sequences.length];
        }
        sequences = largerSequences;
        kept = largerKept;
        head = 0;
    }
}
