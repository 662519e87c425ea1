package dev.switchboard.server;

import java.util.Map;

import dev.switchboard.server.testing.BackgroundPair;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PONG;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ROOM_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ROOM_LEFT;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.WELCOME;
import static dev.switchboard.testkit.Messages.bye;
import static dev.switchboard.testkit.Messages.candidate;
import static dev.switchboard.testkit.Messages.hello;
import static dev.switchboard.testkit.Messages.join;
import static dev.switchboard.testkit.Messages.leave;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.ping;
import static dev.switchboard.testkit.Messages.resume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code limits.*}: what one client may send and hold. Each refusal is a documented error code; the session
 * that was refused goes on unless the limit closes its connection, and a background pair on the same server
 * keeps relaying throughout and loses nothing.
 */
class LimitsTest {
    private static final int MAX_MESSAGE = 4096;
    private static final int MAX_SDP = 2048;
    private static final int MAX_CANDIDATE = 256;

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(
            "limits.max-message-bytes", Integer.toString(MAX_MESSAGE),
            "limits.max-sdp-bytes", Integer.toString(MAX_SDP),
            "limits.max-candidate-bytes", Integer.toString(MAX_CANDIDATE),
            "limits.hello-timeout", "PT2S",
            "limits.peers-per-room", "3",
            "limits.rooms-per-session", "2"));

    @RegisterExtension
    final BackgroundPair background = new BackgroundPair(server);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anSdpOrCandidateOverTheLimitIsRefusedAndTheSessionGoesOn(Transport transport) {
        try (Peer alice = transport.connect("alice", server.port());
             Peer bob = Transport.WEBSOCKET_JSON.connect("bob", server.port())) {
            Peer.meet("sizes-" + transport, alice, "alice-" + transport, bob, "bob-" + transport);
            String room = "sizes-" + transport;
            String target = "bob-" + transport;

            long big = alice.sendNumbered(offer(room, target, "v=0 " + "a".repeat(MAX_SDP)));
            assertRefused(alice, big, ErrorCode.ERROR_CODE_MESSAGE_TOO_LARGE);
            long longCandidate = alice.sendNumbered(candidate(room, target, "candidate:" + "1".repeat(MAX_CANDIDATE)));
            assertRefused(alice, longCandidate, ErrorCode.ERROR_CODE_MESSAGE_TOO_LARGE);
            // a multi-byte SDP is measured in bytes: 700 four-byte characters are 2,800 bytes
            long wide = alice.sendNumbered(offer(room, target, "v=0 " + "\uD83D\uDE00".repeat(700)));
            assertRefused(alice, wide, ErrorCode.ERROR_CODE_MESSAGE_TOO_LARGE);

            background.relay();
            alice.sendNumbered(offer(room, target, "v=0 just right"));
            assertEquals("v=0 just right", bob.next(OFFER).getOffer().getSdp(), "the refused ones never arrive");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMessageOverTheFrameLimitClosesTheConnectionAndTheSessionResumes(Transport transport) {
        try (Peer alice = transport.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            String room = "frames-" + transport;
            ServerMessage welcome = alice.hello("frame-alice-" + transport);
            bob.hello("frame-bob-" + transport);
            alice.join(room);
            bob.join(room);

            alice.sendNumbered(offer(room, "frame-bob-" + transport, "v=0 " + "b".repeat(MAX_MESSAGE)));
            String closed = alice.awaitClosed();
            assertTrue(closed.startsWith(transport == Transport.GRPC ? "RESOURCE_EXHAUSTED" : "1009"), closed);
            background.relay();

            try (Peer again = transport.connect("alice-again", server.port())) {
                again.send(resume(welcome.getWelcome().getResumeToken(), 0).build());
                assertTrue(again.next(WELCOME).getWelcome().getResumed(), "the session outlived its connection");
                again.sendNumbered(offer(room, "frame-bob-" + transport, "v=0 after the big one"));
                assertEquals("v=0 after the big one", bob.next(OFFER).getOffer().getSdp());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "tab\there", "nul\u0000", "slash/", "émoji", ""})
    void idsOutsideTheAllowedFormAreInvalid(String badId) {
        try (Peer peer = Transport.WEBSOCKET_JSON.connect("ids", server.port())) {
            peer.send(hello(badId).build());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, peer.next(ERROR).getError().getCode());
            peer.hello("ids-user");
            peer.send(join(badId).build());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, peer.next(ERROR).getError().getCode());
            long signal = peer.sendNumbered(offer("ids-room", badId, "v=0"));
            assertRefused(peer, signal, ErrorCode.ERROR_CODE_INVALID_MESSAGE);
            background.relay();
            peer.join("ids-room");   // the session goes on
        }
    }

    @Test
    void idsOfExactlyTheMaximumLengthPassAndOneMoreDoesNot() {
        try (Peer peer = Transport.GRPC.connect("long-ids", server.port())) {
            peer.hello("u".repeat(128));
            peer.join("r:.-_@".repeat(21) + "xx");   // 128 characters, every allowed symbol
            peer.send(join("r".repeat(129)).build());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, peer.next(ERROR).getError().getCode());
        }
    }

    @Test
    void aFullRoomRefusesTheNextPeer() {
        Peer[] peers = new Peer[4];
        try {
            for (int i = 0; i < peers.length; i++) {
                peers[i] = Transport.values()[i % Transport.values().length].connect("full-" + i, server.port());
                peers[i].hello("full-" + i);
            }
            for (int i = 0; i < 3; i++) {
                peers[i].join("full");
            }
            peers[3].send(join("full").setRequestId("fourth").build());
            ServerMessage refused = peers[3].next(ERROR);
            assertEquals(ErrorCode.ERROR_CODE_ROOM_FULL, refused.getError().getCode());
            assertEquals("fourth", refused.getRequestId());
            background.relay();
            peers[0].send(leave("full").build());
            peers[0].next(ROOM_LEFT);    // another connection: the leave must be done before the join is sent
            peers[3].join("full");       // room for one again
        } finally {
            for (Peer peer : peers) {
                if (peer != null) {
                    peer.close();
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSessionInTheMostRoomsCannotJoinAnother(Transport transport) {
        try (Peer peer = transport.connect("rooms", server.port())) {
            peer.hello("rooms-" + transport);
            peer.join("one-" + transport);
            peer.join("two-" + transport);
            peer.join("two-" + transport);     // joining a room it is in is no new room
            peer.send(join("three-" + transport).build());
            assertEquals(ErrorCode.ERROR_CODE_TOO_MANY_ROOMS, peer.next(ERROR).getError().getCode());
            background.relay();
            peer.send(leave("one-" + transport).build());
            peer.join("three-" + transport);
        }
    }

    @Test
    void thousandsOfJoinsHoldNoMoreThanTheRoomLimit() {
        try (Peer greedy = Transport.WEBSOCKET_BINARY.connect("greedy", server.port())) {
            greedy.hello("greedy");
            for (int i = 0; i < 2000; i++) {
                greedy.send(join("greedy-" + i).build());
            }
            int joined = 0;
            int refused = 0;
            while (joined + refused < 2000) {
                ServerMessage answer = greedy.next(message -> message.hasRoomJoined() || message.hasError(),
                                                   "the answer to a join");
                if (answer.hasRoomJoined()) {
                    joined++;
                } else {
                    assertEquals(ErrorCode.ERROR_CODE_TOO_MANY_ROOMS, answer.getError().getCode());
                    refused++;
                }
            }
            assertEquals(2, joined, "limits.rooms-per-session");
            background.relay();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aConnectionThatNeverSaysHelloIsClosed(Transport transport) {
        try (Peer silent = transport.connect("silent", server.port())) {
            silent.send(ping(1).build());   // talking is not enough: only hello opens a session
            assertEquals(ErrorCode.ERROR_CODE_HELLO_REQUIRED, silent.next(ERROR).getError().getCode());
            ServerMessage fatal = silent.next(message -> message.hasError() && message.getError().getFatal(),
                                              "a fatal error");
            assertEquals(ErrorCode.ERROR_CODE_HELLO_REQUIRED, fatal.getError().getCode());
            String closed = silent.awaitClosed();
            assertTrue(closed.startsWith(transport == Transport.GRPC ? "UNAUTHENTICATED" : "1008"), closed);
            background.relay();
        }
    }

    @Test
    void aFloodPastTheRateIsRefusedAndTheSessionRecovers() {
        try (TestServer limited = TestServer.start(Map.of("limits.rate", "0.1", "limits.burst", "5"));
             Peer alice = Transport.WEBSOCKET_BINARY.connect("flood-alice", limited.port());
             Peer bob = Transport.GRPC.connect("flood-bob", limited.port())) {
            Peer.meet("flood", alice, "flood-alice", bob, "flood-bob");   // alice's join spends 1 of 5
            for (int i = 0; i < 4; i++) {
                alice.send(ping(i).build());
                alice.next(PONG);
            }
            alice.send(ping(99).setRequestId("one-too-many").build());
            ServerMessage refused = alice.next(ERROR);
            assertEquals(ErrorCode.ERROR_CODE_RATE_LIMITED, refused.getError().getCode());
            assertEquals("one-too-many", refused.getRequestId());
            assertFalse(refused.getError().getFatal());

            long signal = alice.sendNumbered(offer("flood", "flood-bob", "v=0 over the rate"));
            assertRefused(alice, signal, ErrorCode.ERROR_CODE_RATE_LIMITED);
            bob.send(ping(1).build());
            assertEquals(PONG, bob.next(PONG).getPayloadCase(), "another session has its own budget");
            assertTrue(bob.drain().stream().noneMatch(ServerMessage::hasOffer), "the refused offer never arrived");

            alice.send(bye().build());
            alice.awaitClosed();   // bye is never refused, or a flooding client could not even leave
        }
    }

    @Test
    void aFullServerRefusesNewSessionsButNotAReturningUser() {
        try (TestServer small = TestServer.start(Map.of("limits.max-sessions", "2"));
             Peer first = Transport.GRPC.connect("first", small.port());
             Peer second = Transport.WEBSOCKET_JSON.connect("second", small.port());
             Peer third = Transport.WEBSOCKET_BINARY.connect("third", small.port());
             Peer fourth = Transport.GRPC.connect("fourth", small.port());
             Peer secondAgain = Transport.GRPC.connect("second-again", small.port())) {
            first.hello("first");
            second.hello("second");

            third.send(hello("third").build());
            ServerMessage full = third.next(ERROR);
            assertEquals(ErrorCode.ERROR_CODE_SERVER_FULL, full.getError().getCode());
            assertTrue(full.getError().getFatal());
            assertTrue(third.awaitClosed().startsWith("1013"));

            fourth.send(hello("fourth").build());
            assertEquals(ErrorCode.ERROR_CODE_SERVER_FULL, fourth.next(ERROR).getError().getCode());
            assertTrue(fourth.awaitClosed().startsWith("UNAVAILABLE"));

            // a user who is already here takes the old session over: the count does not grow
            assertEquals("second", secondAgain.hello("second").getWelcome().getUserId());
            first.send(join("still-works").build());
            assertEquals(ROOM_JOINED, first.next(ROOM_JOINED).getPayloadCase());
        }
    }

    private static void assertRefused(Peer peer, long sequence, ErrorCode code) {
        Ack ack = peer.next(message -> message.hasAck() && message.getAck().getSequence() == sequence,
                            "the ack of " + sequence).getAck();
        assertFalse(ack.getSuccess());
        assertEquals(code, ack.getErrorCode());
        assertEquals(code, peer.next(ERROR).getError().getCode());
    }
}
