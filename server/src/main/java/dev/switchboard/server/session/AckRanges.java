package dev.switchboard.server.session;

import java.util.TreeSet;

import dev.switchboard.signaling.v1.AckMode;
import dev.switchboard.signaling.v1.AckRange;

/**
 * The acknowledgements of a session's relayed signals that wait to be sent as one {@code ack_range}
 * ({@link AckMode#ACK_MODE_RANGE}). A range never covers the sequence of a signal whose outcome is still open (a
 * delivery to another node under way): that signal gets an ack of its own later, and a range sent before it would
 * claim it was relayed. Not thread-safe: its stream's lock guards it.
 */
final class AckRanges {
    private final TreeSet<Long> open = new TreeSet<>();
    private AckMode mode = AckMode.ACK_MODE_EACH;
    /** The range waiting to be sent; 0 when none. */
    private long first;
    private long last;

    /**
     * @param requested what the client asked for
     * @return the mode now in force: RANGE, or EACH for anything else
     */
    AckMode mode(AckMode requested) {
        mode = requested == AckMode.ACK_MODE_RANGE ? AckMode.ACK_MODE_RANGE : AckMode.ACK_MODE_EACH;
        return mode;
    }

    boolean ranged() {
        return mode == AckMode.ACK_MODE_RANGE;
    }

    /**
     * A relayed signal joins the waiting range.
     *
     * @param sequence its client sequence, at least 1
     * @return a range that must be sent first (it could not be extended over this sequence), or null
     */
    AckRange add(long sequence) {
        AckRange before = null;
        if (first != 0 && (sequence < last || openBetween(last, sequence))) {
            before = take();
        }
        if (first == 0) {
            first = sequence;
        }
        last = Math.max(last, sequence);
        return before;
    }

    /** Whether a signal between the two sequences (both excluded) has its outcome open. */
    private boolean openBetween(long low, long high) {
        if (open.isEmpty()) {
            return false;   // nearly always: no delivery to another node is under way
        }
        Long next = open.higher(low);
        return next != null && next < high;
    }

    /**
     * @return the waiting range, now taken; null when none waits
     */
    AckRange take() {
        if (first == 0) {
            return null;
        }
        AckRange range = AckRange.newBuilder().setFirstSequence(first).setLastSequence(last).build();
        first = 0;
        last = 0;
        return range;
    }

    /** A signal's outcome will come later: no range may cover it meanwhile. */
    void opened(long sequence) {
        open.add(sequence);
    }

    /** A signal's outcome has come. */
    void closed(long sequence) {
        open.remove(sequence);
    }
}
