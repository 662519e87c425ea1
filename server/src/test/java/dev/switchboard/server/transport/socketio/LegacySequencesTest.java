package dev.switchboard.server.transport.socketio;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import dev.switchboard.signaling.v1.SignalKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegacySequencesTest {
    private static final SignalKind[] KINDS = {SignalKind.SIGNAL_KIND_OFFER, SignalKind.SIGNAL_KIND_ANSWER,
                                               SignalKind.SIGNAL_KIND_ICE_CANDIDATE};

    @Test
    void theSameTripleAgainGetsItsSequenceAndAnyOtherANewOne() {
        LegacySequences sequences = new LegacySequences(1024);
        long offer = sequences.sessionSequence("bob", SignalKind.SIGNAL_KIND_OFFER, 3);
        long answer = sequences.sessionSequence("bob", SignalKind.SIGNAL_KIND_ANSWER, 3);
        long toCarol = sequences.sessionSequence("carol", SignalKind.SIGNAL_KIND_OFFER, 3);
        assertEquals(offer, sequences.sessionSequence("bob", SignalKind.SIGNAL_KIND_OFFER, 3));
        assertEquals(3, java.util.Set.of(offer, answer, toCarol).size(), "three triples, three sequences");
        assertTrue(offer < answer && answer < toCarol, "numbered in arrival order");
    }

    @Test
    void itRemembersTheLatestCapacityTriplesAsAMapInArrivalOrderWould() {
        // the reference: what this class was before it kept its triples in arrays
        int capacity = 64;
        long[] next = {0};
        Map<String, Long> reference = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > capacity;
            }
        };
        LegacySequences sequences = new LegacySequences(capacity);
        Random random = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            String target = "peer-" + random.nextInt(6);
            SignalKind kind = KINDS[random.nextInt(KINDS.length)];
            long legacy = random.nextInt(40) + (i / 500);      // repeats, and numbers that move on
            long expected = reference.computeIfAbsent(target + "/" + kind + "/" + legacy, key -> ++next[0]);
            assertEquals(expected, sequences.sessionSequence(target, kind, legacy), "signal " + i);
        }
    }

    @Test
    void aClientNamingEndlessTargetsStartsItsTableOverWithoutReusingASequence() {
        LegacySequences sequences = new LegacySequences(1024);
        long last = 0;
        for (int i = 0; i < 3_000; i++) {
            long sequence = sequences.sessionSequence("target-" + i, SignalKind.SIGNAL_KIND_OFFER, 1);
            assertTrue(sequence > last, "never reused: " + sequence + " after " + last);
            last = sequence;
        }
        assertNotEquals(0, last);
    }
}
