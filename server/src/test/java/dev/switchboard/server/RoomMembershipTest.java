package dev.switchboard.server;

import java.util.Map;

import dev.switchboard.server.testing.TcpProxy;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.PeerLeft;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ROOM_LEFT;
import static dev.switchboard.testkit.Messages.leave;
import static dev.switchboard.testkit.Messages.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Joining and leaving rooms, and what the other members see when a peer leaves, disconnects or vanishes. Session
 * resume is off here, so a dropped connection ends its session at once; ResumeTest covers the resume window.
 */
class RoomMembershipTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("resume.window", "PT0S"));

    @Test
    void membersSeeJoinsAndLeavesAndAnEmptiedRoomStartsAfresh() throws Exception {
        try (Peer alice = Transport.WEBSOCKET_JSON.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port());
             Peer carol = Transport.WEBSOCKET_BINARY.connect("carol", server.port())) {
            alice.hello("alice-m");
            bob.hello("bob-m");
            carol.hello("carol-m");
            alice.join("members");
            bob.join("members");
            ServerMessage carolJoined = carol.join("members");
            assertEquals(2, carolJoined.getRoomJoined().getMembersCount());
            assertEquals("bob-m", alice.next(PEER_JOINED).getPeerJoined().getUserId());
            assertEquals("carol-m", alice.next(PEER_JOINED).getPeerJoined().getUserId());
            assertEquals("carol-m", bob.next(PEER_JOINED).getPeerJoined().getUserId());

            bob.send(leave("members").setRequestId("bye").build());
            ServerMessage left = bob.next(ROOM_LEFT);
            assertEquals("members", left.getRoomLeft().getRoomId());
            assertEquals("bye", left.getRequestId());
            for (Peer other : new Peer[] {alice, carol}) {
                PeerLeft peerLeft = other.next(PEER_LEFT).getPeerLeft();
                assertEquals("bob-m", peerLeft.getUserId());
                assertEquals(PeerLeftReason.PEER_LEFT_REASON_LEFT, peerLeft.getReason());
            }

            alice.send(leave("members").build());
            alice.next(ROOM_LEFT);
            carol.next(PEER_LEFT);
            carol.send(leave("members").build());
            carol.next(ROOM_LEFT);
            // the room emptied and was removed: the next member finds nobody
            assertEquals(0, bob.join("members").getRoomJoined().getMembersCount());
        }
    }

    @Test
    void joiningTwiceRepeatsTheMemberListWithoutAnnouncingAgain() throws Exception {
        try (Peer alice = Transport.GRPC.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            Peer.meet("twice", alice, "alice-twice", bob, "bob-twice");
            assertEquals("alice-twice", bob.join("twice").getRoomJoined().getMembers(0).getUserId());
            // the next thing alice hears is bob's offer, not a second peer_joined
            bob.send(offer("twice", "alice-twice", "v=0").build());
            assertEquals(OFFER, alice.next().getPayloadCase());
        }
    }

    @Test
    void leavingARoomYouAreNotInIsAnError() throws Exception {
        try (Peer alice = Transport.WEBSOCKET_JSON.connect("alice", server.port())) {
            alice.hello("alice-notin");
            alice.send(leave("nowhere").setRequestId("l1").build());
            ServerMessage error = alice.next(ERROR);
            assertEquals(ErrorCode.ERROR_CODE_NOT_IN_ROOM, error.getError().getCode());
            assertEquals("l1", error.getError().getRequestId());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingTheConnectionLeavesEveryRoom(Transport transport) throws Exception {
        String room = "close-" + transport;
        try (Peer watcher = Transport.WEBSOCKET_JSON.connect("watcher", server.port())) {
            watcher.hello("watcher-" + room);
            watcher.join(room);
            Peer leaver = transport.connect("leaver", server.port());
            leaver.hello("leaver-" + room);
            leaver.join(room);
            watcher.next(PEER_JOINED);
            leaver.close();
            PeerLeft peerLeft = watcher.next(PEER_LEFT).getPeerLeft();
            assertEquals("leaver-" + room, peerLeft.getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_DISCONNECTED, peerLeft.getReason());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConnectionCutByTheNetworkIsNoticed(Transport transport) throws Exception {
        String room = "cut-" + transport;
        try (TcpProxy network = new TcpProxy(server.port());
             Peer watcher = Transport.GRPC.connect("watcher", server.port());
             Peer victim = transport.connect("victim", network.port())) {
            watcher.hello("watcher-" + room);
            watcher.join(room);
            victim.hello("victim-" + room);
            victim.join(room);
            watcher.next(PEER_JOINED);
            network.cutAll();   // no close frame, no RST_STREAM, no GOAWAY: the sockets just die
            PeerLeft peerLeft = watcher.next(PEER_LEFT).getPeerLeft();
            assertEquals("victim-" + room, peerLeft.getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_DISCONNECTED, peerLeft.getReason());
        }
    }
}
