package dev.switchboard.testkit;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalLedgerTest {
    private final SignalLedger<String> ledger = new SignalLedger<>();

    @Test
    void aSignalWaitsUntilItsAckAndAnAckOutOfOrderClosesTheGap() {
        for (int i = 0; i < 3; i++) {
            long sequence = ledger.next();
            ledger.sent(sequence, "s" + sequence);
        }
        assertTrue(ledger.acknowledged(2));
        assertFalse(ledger.acknowledged(2), "an ack for a signal no longer waiting changes nothing");
        assertEquals(List.of("s1", "s3"), ledger.unprocessedAfter(0));
        assertTrue(ledger.acknowledged(1));
        assertEquals(List.of("s3"), ledger.unprocessedAfter(0));
    }

    @Test
    void aRangeConfirmsEveryWaitingSignalUpToItsLastAcrossTheRingsGrowth() {
        LongStream.rangeClosed(1, 200).forEach(i -> ledger.sent(ledger.next(), "s" + i));
        assertEquals(150, ledger.acknowledgedThrough(150));
        assertEquals(50, ledger.unacknowledged());
        assertEquals(List.of("s199", "s200"), ledger.unprocessedAfter(198));
        assertEquals(0, ledger.acknowledgedThrough(150));
    }

    @Test
    void aServerSequenceReceivedAgainIsADuplicateAndAnUnnumberedMessageNever() {
        assertTrue(ledger.received(1));
        assertTrue(ledger.received(3));
        assertFalse(ledger.received(2));
        assertFalse(ledger.received(3));
        assertTrue(ledger.received(0));
        assertEquals(3, ledger.lastReceived());
    }
}
