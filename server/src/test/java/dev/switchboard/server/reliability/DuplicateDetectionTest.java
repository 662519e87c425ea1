package dev.switchboard.server.reliability;

import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ACK;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ANSWER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ICE_CANDIDATE;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.testkit.Messages.answer;
import static dev.switchboard.testkit.Messages.candidate;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Effectively-once signals: every offer, answer and candidate is acknowledged, and none is applied twice or
 * after it was superseded, whichever transport the sender uses.
 * <p>
 * Each test ends with a marker signal and expects it to be the next thing the receiver gets, which proves that
 * nothing refused earlier was relayed after all.
 */
class DuplicateDetectionTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theSameSequenceIsRelayedOnceAndAckedAsDuplicateAfter(Transport transport) {
        String room = "dup-seq-" + transport;
        try (Peer alice = transport.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            Peer.meet(room, alice, "alice", bob, "bob");
            ClientMessage offer = offer(room, "bob", sdp("u1", "first")).setSequence(7).setRequestId("o7").build();
            alice.send(offer);
            alice.send(offer);

            Ack first = alice.next(ACK).getAck();
            Ack second = alice.next(ACK).getAck();
            assertTrue(first.getSuccess() && !first.getDuplicate(), "first ack: " + first);
            assertEquals(7, first.getSequence());
            assertEquals("o7", first.getRequestId());
            assertTrue(!second.getSuccess() && second.getDuplicate(), "second ack: " + second);
            assertEquals(7, second.getSequence());

            assertEquals(sdp("u1", "first"), bob.next(OFFER).getOffer().getSdp());
            assertMarkerIsNext(room, alice, bob, 8);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUnnumberedSignalIsADuplicateWhenIdentical(Transport transport) {
        String room = "dup-legacy-" + transport;
        try (Peer alice = transport.connect("alice", server.port());
             Peer bob = Transport.WEBSOCKET_JSON.connect("bob", server.port())) {
            Peer.meet(room, alice, "alice", bob, "bob");
            alice.send(answer(room, "bob", sdp("u1", "legacy")).build());
            alice.send(answer(room, "bob", sdp("u1", "legacy")).build());
            alice.send(answer(room, "bob", sdp("u1", "legacy, changed")).build());

            assertTrue(alice.next(ACK).getAck().getSuccess());
            Ack duplicate = alice.next(ACK).getAck();
            assertTrue(duplicate.getDuplicate() && !duplicate.getSuccess(), "second ack: " + duplicate);
            assertTrue(alice.next(ACK).getAck().getSuccess());

            assertEquals(sdp("u1", "legacy"), bob.next(ANSWER).getAnswer().getSdp());
            assertEquals(sdp("u1", "legacy, changed"), bob.next(ANSWER).getAnswer().getSdp());
            assertMarkerIsNext(room, alice, bob, 0);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anOfferOlderThanTheLastOneRelayedIsStale(Transport transport) {
        String room = "stale-offer-" + transport;
        try (Peer alice = transport.connect("alice", server.port());
             Peer bob = Transport.WEBSOCKET_BINARY.connect("bob", server.port())) {
            Peer.meet(room, alice, "alice", bob, "bob");
            alice.send(offer(room, "bob", sdp("u2", "newer")).setSequence(5).build());
            alice.send(offer(room, "bob", sdp("u1", "older")).setSequence(4).build());   // arrived late

            assertTrue(alice.next(ACK).getAck().getSuccess());
            Ack stale = alice.next(ACK).getAck();
            assertTrue(stale.getStale() && !stale.getSuccess() && !stale.getDuplicate(), "second ack: " + stale);
            assertEquals(4, stale.getSequence());

            assertEquals(sdp("u2", "newer"), bob.next(OFFER).getOffer().getSdp());
            assertMarkerIsNext(room, alice, bob, 6);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCandidateOfAnOlderIceGenerationIsStale(Transport transport) {
        String room = "stale-candidate-" + transport;
        try (Peer alice = transport.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            Peer.meet(room, alice, "alice", bob, "bob");
            alice.send(offer(room, "bob", sdp("gen1", "initial")).setSequence(1).build());
            alice.send(candidate(room, "bob", "candidate:1 1 udp 1 127.0.0.1 5000 typ host", "gen1")
                               .setSequence(2).build());
            // an ICE restart: a new offer with new credentials
            alice.send(offer(room, "bob", sdp("gen2", "restart")).setSequence(3).build());
            alice.send(candidate(room, "bob", "candidate:2 1 udp 1 127.0.0.1 5001 typ host", "gen1")
                               .setSequence(4).build());
            alice.send(candidate(room, "bob", "candidate:3 1 udp 1 127.0.0.1 5002 typ host", "gen2")
                               .setSequence(5).build());

            for (int sequence = 1; sequence <= 5; sequence++) {
                Ack ack = alice.next(ACK).getAck();
                assertEquals(sequence, ack.getSequence());
                assertEquals(sequence != 4, ack.getSuccess(), "ack " + ack);
                assertEquals(sequence == 4, ack.getStale(), "ack " + ack);
            }
            assertEquals("initial", sessionName(bob.next(OFFER).getOffer().getSdp()));
            assertEquals("candidate:1 1 udp 1 127.0.0.1 5000 typ host",
                         bob.next(ICE_CANDIDATE).getIceCandidate().getCandidate());
            assertEquals("restart", sessionName(bob.next(OFFER).getOffer().getSdp()));
            assertEquals("candidate:3 1 udp 1 127.0.0.1 5002 typ host",
                         bob.next(ICE_CANDIDATE).getIceCandidate().getCandidate());
            assertMarkerIsNext(room, alice, bob, 6);
        }
    }


    /** Sends an answer with a fresh generation and checks that it is the very next signal bob receives. */
    private static void assertMarkerIsNext(String room, Peer alice, Peer bob, long sequence) {
        alice.send(answer(room, "bob", sdp("marker", "marker")).setSequence(sequence).build());
        ServerMessage next = bob.next();
        assertEquals(ANSWER, next.getPayloadCase(), "expected only the marker, got " + next);
        assertEquals("marker", sessionName(next.getAnswer().getSdp()));
        assertFalse(alice.next(ACK).getAck().getDuplicate());
    }

    private static String sessionName(String sdp) {
        int start = sdp.indexOf("\r\ns=") + 4;
        return sdp.substring(start, sdp.indexOf("\r\n", start));
    }
}
