package dev.switchboard.server.signaling;

import dev.switchboard.server.testing.InMemoryCore;
import dev.switchboard.server.testing.MemoryLink;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;
import dev.switchboard.testkit.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ACK;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.WELCOME;
import static dev.switchboard.testkit.Messages.bye;
import static dev.switchboard.testkit.Messages.join;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.resume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session's life without sockets: hello, takeover by a newer session, resume with replay, bye.
 */
class SessionLifecycleTest {
    private InMemoryCore core;

    @BeforeEach
    void start() {
        core = new InMemoryCore();
    }

    @AfterEach
    void close() {
        core.close();
    }

    @Test
    void nothingButHelloOpensASession() {
        MemoryLink stranger = core.connect("stranger");
        stranger.send(join("room").build());

        assertEquals(ErrorCode.ERROR_CODE_HELLO_REQUIRED, stranger.next(ERROR).getError().getCode());
        assertTrue(core.core().sessions().find("stranger").isEmpty());
    }

    @Test
    void aClientThatCannotResumeLeavesItsRoomsAsSoonAsItsConnectionDrops() {
        MemoryLink alice = core.connect("alice", false);
        MemoryLink bob = core.connect("bob");
        Peer.meet("room", alice, "alice", bob, "bob");

        alice.abort();

        // within the resume window (30 s by default): only the link's word ends the session this soon
        assertEquals(PeerLeftReason.PEER_LEFT_REASON_DISCONNECTED, bob.next(PEER_LEFT).getPeerLeft().getReason());
        assertTrue(core.core().sessions().find("alice").isEmpty());
    }

    @Test
    void aResumedSessionGetsWhatItMissedAndKeepsItsNumbering() {
        MemoryLink alice = core.connect("alice");
        MemoryLink bob = core.connect("bob");
        Peer.meet("room", alice, "alice", bob, "bob");
        Welcome welcome = alice.received().getFirst().getWelcome();
        long lastReceived = alice.lastSequence();

        alice.abort();
        bob.sendNumbered(offer("room", "alice", "v=0 while away"));
        assertTrue(bob.next(ACK).getAck().getSuccess(), "buffered for the absent peer");
        MemoryLink back = core.connect("alice again");
        back.send(resume(welcome.getResumeToken(), lastReceived).build());

        assertTrue(back.next(WELCOME).getWelcome().getResumed());
        ServerMessage missed = back.next(OFFER);
        assertEquals("v=0 while away", missed.getOffer().getSdp());
        assertEquals(lastReceived + 1, missed.getSequence(), "numbering goes on where the client left off");
        assertTrue(bob.received().stream().noneMatch(ServerMessage::hasPeerLeft), "bob saw no one leave");
    }

    @Test
    void aNewerSessionOfTheSameUserReplacesTheOlder() {
        MemoryLink alice = core.connect("alice");
        MemoryLink bob = core.connect("bob");
        Peer.meet("room", alice, "alice", bob, "bob");

        MemoryLink newer = core.connect("alice's other tab");
        newer.hello("alice");

        assertEquals(ErrorCode.ERROR_CODE_SESSION_REPLACED, alice.next(ERROR).getError().getCode());
        alice.awaitClosed();
        assertEquals(PeerLeftReason.PEER_LEFT_REASON_REPLACED, bob.next(PEER_LEFT).getPeerLeft().getReason());
    }

    @Test
    void byeEndsTheSessionAndItsPeersSeeItLeave() {
        MemoryLink alice = core.connect("alice");
        MemoryLink bob = core.connect("bob");
        Peer.meet("room", alice, "alice", bob, "bob");

        alice.send(bye().build());
        alice.awaitClosed();

        assertEquals("alice", bob.next(PEER_LEFT).getPeerLeft().getUserId());
        assertFalse(core.core().sessions().find("alice").isPresent());
    }
}
