package dev.switchboard.server.room;

import java.util.List;
import java.util.Map;

import dev.switchboard.server.testing.InMemoryCore;
import dev.switchboard.server.testing.MemoryLink;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.RoomJoined;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ROOM_JOINED;
import static dev.switchboard.testkit.Messages.join;
import static dev.switchboard.testkit.Messages.leave;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rooms without sockets: joins, announcements, limits and leaves on an in-memory core.
 */
class RoomRegistryTest {
    private InMemoryCore core;

    @BeforeEach
    void start() {
        core = new InMemoryCore(Map.of("limits.peers-per-room", "2"));
    }

    @AfterEach
    void close() {
        core.close();
    }

    @Test
    void aJoinerLearnsWhoIsThereAndTheOthersLearnOfIt() {
        MemoryLink alice = core.connect("alice");
        MemoryLink bob = core.connect("bob");
        alice.hello("alice");
        bob.hello("bob");
        alice.join("room");

        RoomJoined joined = bob.join("room").getRoomJoined();
        assertEquals(List.of("alice"), joined.getMembersList().stream().map(member -> member.getUserId()).toList());
        assertEquals("bob", alice.next(PEER_JOINED).getPeerJoined().getUserId());
        assertEquals(List.of("alice", "bob"), core.core().rooms().members("room").orElseThrow());
    }

    @Test
    void joiningARoomTwiceRepeatsTheAnswerAndAnnouncesNothing() {
        MemoryLink alice = core.connect("alice");
        MemoryLink bob = core.connect("bob");
        Peer.meet("room", alice, "alice", bob, "bob");

        bob.send(join("room").build());
        bob.next(ROOM_JOINED);
        bob.send(leave("room").build());
        assertEquals("bob", alice.next(PEER_LEFT).getPeerLeft().getUserId());
        assertTrue(alice.received().stream().filter(ServerMessage::hasPeerJoined).count() == 1,
                   "one peer_joined for bob: " + alice.received());
    }

    @Test
    void aFullRoomRefusesTheNextJoinerUntilSomeoneLeaves() {
        MemoryLink alice = core.connect("alice");
        MemoryLink bob = core.connect("bob");
        MemoryLink carol = core.connect("carol");
        Peer.meet("room", alice, "alice", bob, "bob");
        carol.hello("carol");

        carol.send(join("room").build());
        assertEquals(ErrorCode.ERROR_CODE_ROOM_FULL, carol.next(ERROR).getError().getCode());
        bob.send(leave("room").build());
        assertEquals(PeerLeftReason.PEER_LEFT_REASON_LEFT, alice.next(PEER_LEFT).getPeerLeft().getReason());
        carol.join("room");
    }

    @Test
    void aDroppedConnectionLeavesItsRoomsOnlyWhenItsSessionEnds() {
        MemoryLink alice = core.connect("alice");
        MemoryLink bob = core.connect("bob");
        Peer.meet("room", alice, "alice", bob, "bob");

        bob.abort();                // resumable: still a member while the resume window runs
        assertEquals(List.of("alice", "bob"), core.core().rooms().members("room").orElseThrow());
        core.core().operator().disconnect("bob", "test");
        assertEquals("bob", alice.next(PEER_LEFT).getPeerLeft().getUserId());
    }
}
