package dev.switchboard.server.reliability.dedup;

import java.time.Duration;

import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.testkit.Messages;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Duplicate detection keeps bounded state whatever the traffic: windows expire and every structure is capped.
 */
class SignalDeduplicatorTest {
    private static final DedupSettings SETTINGS = new DedupSettings(1024, Duration.ofSeconds(30), 100, 8);
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    @Test
    void unnumberedSignalsAreForgottenAfterTheTtlAndCappedMeanwhile() {
        SignalDeduplicator dedup = new SignalDeduplicator(SETTINGS);
        Offer offer = Messages.offer("r", "bob", "v=0 same").build().getOffer();
        assertEquals(Verdict.NEW, dedup.offer(0, offer, "r", "bob", offer.getSdp(), 0));
        assertEquals(Verdict.DUPLICATE, dedup.offer(0, offer, "r", "bob", offer.getSdp(), 29 * SECOND));
        assertEquals(Verdict.NEW, dedup.offer(0, offer, "r", "bob", offer.getSdp(), 31 * SECOND),
                     "remembered past its TTL");
        assertEquals(Verdict.NEW, dedup.answer(0, offer, "r", "bob", offer.getSdp(), 31 * SECOND),
                     "the same bytes as an answer are another signal");

        for (int i = 0; i < 100_000; i++) {
            IceCandidate candidate = Messages.candidate("r", "bob", "candidate:" + i).build().getIceCandidate();
            dedup.candidate(0, candidate, "r", "bob", "", 32 * SECOND + i);
        }
        // 100 signals remembered at most, plus the one peer tracked
        assertEquals(101, dedup.trackedEntries());
    }

    @Test
    void peersTrackedAreCapped() {
        SignalDeduplicator dedup = new SignalDeduplicator(SETTINGS);
        for (int i = 1; i <= 10_000; i++) {
            String target = "peer-" + i;
            Offer offer = Messages.offer("r", target, Messages.sdp("u" + i, "o")).build().getOffer();
            assertEquals(Verdict.NEW, dedup.offer(i, offer, "r", target, offer.getSdp(), 0));
        }
        assertEquals(8, dedup.trackedEntries());
        assertEquals(10_000, dedup.lastProcessedSequence());
    }

    @Test
    void numberedMessagesAreNewOnceAndLateOnesWithinTheWindowStillCount() {
        SignalDeduplicator dedup = new SignalDeduplicator(SETTINGS);
        assertTrue(dedup.firstTime(10));
        assertTrue(dedup.firstTime(8), "a late message below the highest, never seen");
        assertTrue(!dedup.firstTime(8) && !dedup.firstTime(10));
        assertTrue(dedup.firstTime(5000));
        assertTrue(!dedup.firstTime(9), "too far below the highest to know: counts as processed");
        for (long s = 5001; s < 1_000_000; s++) {
            assertTrue(dedup.firstTime(s));
        }
        assertTrue(!dedup.firstTime(999_999) && !dedup.firstTime(999_490));
        assertTrue(dedup.firstTime(2_000_000) && dedup.firstTime(1_999_500), "a gap, then a late one within it");
        assertEquals(0, dedup.trackedEntries(), "sequence numbers alone keep no per-message entries");
    }
}
