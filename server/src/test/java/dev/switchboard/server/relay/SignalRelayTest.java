package dev.switchboard.server.relay;

import dev.switchboard.server.testing.InMemoryCore;
import dev.switchboard.server.testing.MemoryLink;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ACK;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.testkit.Messages.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay without sockets: two clients of an in-memory core in one room.
 */
class SignalRelayTest {
    private InMemoryCore core;
    private MemoryLink alice;
    private MemoryLink bob;

    @BeforeEach
    void twoPeersInARoom() {
        core = new InMemoryCore();
        alice = core.connect("alice");
        bob = core.connect("bob");
        Peer.meet("room", alice, "alice", bob, "bob");
    }

    @AfterEach
    void close() {
        core.close();
    }

    @Test
    void aSignalReachesItsTargetFromTheServersSenderAndIsAckedToItsSender() {
        long sequence = alice.sendNumbered(offer("room", "bob", "v=0 hello"));

        ServerMessage relayed = bob.next(OFFER);
        assertEquals("v=0 hello", relayed.getOffer().getSdp());
        assertEquals("alice", relayed.getOffer().getFromUserId());
        assertTrue(relayed.getSequence() > 0, "numbered by the server");
        Ack ack = alice.next(ACK).getAck();
        assertEquals(sequence, ack.getSequence());
        assertTrue(ack.getSuccess());
        assertFalse(ack.getDuplicate());
    }

    @Test
    void aSignalSentTwiceIsRelayedOnceAndItsRepeatIsAckedAsADuplicate() {
        ClientMessage once = offer("room", "bob", "v=0 once").setSequence(1).build();
        alice.send(once);
        alice.send(once);
        alice.send(offer("room", "bob", "v=0 marker").setSequence(2).build());

        assertTrue(alice.next(ACK).getAck().getSuccess());
        Ack repeat = alice.next(ACK).getAck();
        assertTrue(repeat.getDuplicate(), repeat.toString());
        assertEquals("v=0 once", bob.next(OFFER).getOffer().getSdp());
        assertEquals("v=0 marker", bob.next(OFFER).getOffer().getSdp(), "the repeat was not relayed");
    }

    @Test
    void aSignalToSomeoneNotInTheRoomIsRefusedWithATypedError() {
        long sequence = alice.sendNumbered(offer("room", "carol", "v=0 nobody"));

        Ack ack = alice.next(ACK).getAck();
        assertEquals(sequence, ack.getSequence());
        assertFalse(ack.getSuccess());
        assertEquals(ErrorCode.ERROR_CODE_PEER_NOT_FOUND, ack.getErrorCode());
    }

    @Test
    void aSignalToARoomTheSenderIsNotInIsRefused() {
        alice.sendNumbered(offer("elsewhere", "bob", "v=0 outside"));

        Ack ack = alice.next(ACK).getAck();
        assertFalse(ack.getSuccess());
        assertEquals(ErrorCode.ERROR_CODE_NOT_IN_ROOM, ack.getErrorCode());
    }
}
