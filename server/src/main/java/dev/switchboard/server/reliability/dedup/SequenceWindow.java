package dev.switchboard.server.reliability.dedup;

/**
 * Which client sequence numbers a session has processed: the highest one, plus a bitmap of the ones just below
 * it, so that a message arriving slightly out of order is still recognised as new. Constant memory whatever the
 * traffic. Not thread-safe.
 */
final class SequenceWindow {
    private final long[] bits;
    private final int size;
    private long highest;

    /**
     * @param size how many sequences below the highest are remembered; rounded up to a multiple of 64
     */
    SequenceWindow(int size) {
        this.bits = new long[(size + 63) / 64];
        this.size = bits.length * 64;
    }

    /**
     * Records a sequence as processed.
     *
     * @param sequence a client sequence, at least 1
     * @return true when it is new; false when it was processed before, or is too far below the highest to know
     *         (which counts as processed)
     */
    boolean firstTime(long sequence) {
        if (sequence > highest) {
            long gap = sequence - highest;
            if (gap >= size) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long s = highest + 1; s < sequence; s++) {
                    clear(s);
                }
            }
            set(sequence);
            highest = sequence;
            return true;
        }
        if (highest - sequence >= size || isSet(sequence)) {
            return false;
        }
        set(sequence);
        return true;
    }

    /**
     * @return the highest sequence processed, 0 for none
     */
    long highest() {
        return highest;
    }

    /** Unmarks a sequence still inside the window (its processing was undone); the highest stays. */
    void retract(long sequence) {
        if (highest - sequence < size && sequence <= highest) {
            clear(sequence);
        }
    }

    /** The window's bit words, for a session moving to another node. */
    long[] words() {
        return bits.clone();
    }

    /** Takes over the state {@link #highest} and {@link #words} described, on another node. */
    void restore(long highestProcessed, long[] words) {
        highest = highestProcessed;
        System.arraycopy(words, 0, bits, 0, Math.min(words.length, bits.length));
    }

    private int index(long sequence) {
        return (int) Math.floorMod(sequence, (long) size);
    }

    private boolean isSet(long sequence) {
        int i = index(sequence);
        return (bits[i >>> 6] & (1L << (i & 63))) != 0;
    }

    private void set(long sequence) {
        int i = index(sequence);
        bits[i >>> 6] |= 1L << (i & 63);
    }

    private void clear(long sequence) {
        int i = index(sequence);
        bits[i >>> 6] &= ~(1L << (i & 63));
    }
}
