package dev.switchboard.server.session;

import dev.switchboard.signaling.v1.AckMode;
import dev.switchboard.signaling.v1.AckRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckRangesTest {
    private final AckRanges ranges = new AckRanges();

    @Test
    void onlyRangeIsRangedAndAnythingElseIsEach() {
        assertFalse(ranges.ranged());
        assertEquals(AckMode.ACK_MODE_EACH, ranges.mode(AckMode.ACK_MODE_UNSPECIFIED));
        assertEquals(AckMode.ACK_MODE_RANGE, ranges.mode(AckMode.ACK_MODE_RANGE));
        assertTrue(ranges.ranged());
    }

    @Test
    void consecutiveSignalsMakeOneRange() {
        for (long sequence = 3; sequence <= 9; sequence++) {
            assertNull(ranges.add(sequence));
        }
        assertEquals(range(3, 9), ranges.take());
        assertNull(ranges.take(), "taken once");
    }

    @Test
    void aRangeNeverStretchesOverASignalWhoseOutcomeIsOpen() {
        ranges.add(1);
        ranges.opened(2);
        assertEquals(range(1, 1), ranges.add(3), "the range so far goes first");
        assertEquals(range(3, 3), ranges.take());
        ranges.closed(2);
        ranges.add(4);
        assertNull(ranges.add(5));
        assertEquals(range(4, 5), ranges.take());
    }

    @Test
    void aLowerSequenceStartsAFreshRange() {
        ranges.add(10);
        assertEquals(range(10, 10), ranges.add(7), "a re-sent, lower sequence cannot join a range below it");
        ranges.opened(8);
        assertEquals(range(7, 7), ranges.add(11), "nor may it stretch over the open 8");
    }

    private static AckRange range(long first, long last) {
        return AckRange.newBuilder().setFirstSequence(first).setLastSequence(last).build();
    }
}
