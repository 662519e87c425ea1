package dev.switchboard.server;

import java.util.stream.Stream;

import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalKind;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ACK;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ANSWER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ICE_CANDIDATE;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.testkit.Messages.answer;
import static dev.switchboard.testkit.Messages.candidate;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two peers on any pair of transports meet in one room and complete offer, answer and candidates both ways
 * through the one core.
 */
class SignalExchangeTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static Stream<Arguments> transportPairs() {
        return Stream.of(Arguments.of(Transport.WEBSOCKET_JSON, Transport.GRPC),
                         Arguments.of(Transport.GRPC, Transport.WEBSOCKET_BINARY),
                         Arguments.of(Transport.WEBSOCKET_BINARY, Transport.WEBSOCKET_JSON),
                         Arguments.of(Transport.GRPC, Transport.GRPC));
    }

    @ParameterizedTest(name = "{0} caller, {1} callee")
    @MethodSource("transportPairs")
    void offerAnswerAndCandidatesFlowBothWays(Transport callerTransport, Transport calleeTransport) throws Exception {
        String room = "exchange-" + callerTransport + "-" + calleeTransport;
        try (Peer alice = callerTransport.connect("alice", server.port());
             Peer bob = calleeTransport.connect("bob", server.port())) {
            String aliceId = "alice-" + room;
            String bobId = "bob-" + room;
            alice.hello(aliceId);
            bob.hello(bobId);
            assertEquals(0, alice.join(room).getRoomJoined().getMembersCount());
            ServerMessage bobJoined = bob.join(room);
            assertEquals(aliceId, bobJoined.getRoomJoined().getMembers(0).getUserId());
            assertEquals(bobId, alice.next(PEER_JOINED).getPeerJoined().getUserId());

            String offerSdp = sdp("aliceufrag", "offer");
            long offerSequence = alice.sendNumbered(offer(room, bobId, offerSdp).setRequestId("o-1"));
            Offer received = bob.next(OFFER).getOffer();
            assertEquals(offerSdp, received.getSdp());
            assertEquals(aliceId, received.getFromUserId());
            assertEquals(room, received.getRoomId());
            assertAck(alice.next(ACK).getAck(), SignalKind.SIGNAL_KIND_OFFER, offerSequence, "o-1");

            String answerSdp = sdp("bobufrag", "answer");
            long answerSequence = bob.sendNumbered(answer(room, aliceId, answerSdp));
            assertEquals(answerSdp, alice.next(ANSWER).getAnswer().getSdp());
            assertEquals(bobId, alice.received().getLast().getAnswer().getFromUserId());
            assertAck(bob.next(ACK).getAck(), SignalKind.SIGNAL_KIND_ANSWER, answerSequence, "");

            for (int i = 0; i < 3; i++) {
                alice.sendNumbered(candidate(room, bobId, "candidate:" + i + " 1 udp 2122260223 127.0.0.1 5000" + i
                        + " typ host"));
                bob.sendNumbered(candidate(room, aliceId, "candidate:" + i + " 1 udp 2122260223 127.0.0.1 6000" + i
                        + " typ host"));
            }
            for (int i = 0; i < 3; i++) {
                IceCandidate atBob = bob.next(ICE_CANDIDATE).getIceCandidate();
                assertEquals(aliceId, atBob.getFromUserId());
                assertTrue(atBob.getCandidate().startsWith("candidate:" + i + " "), atBob.getCandidate());
                assertEquals("0", atBob.getSdpMid());
                assertTrue(atBob.hasSdpMlineIndex());
                IceCandidate atAlice = alice.next(ICE_CANDIDATE).getIceCandidate();
                assertEquals(bobId, atAlice.getFromUserId());
                assertTrue(atAlice.getCandidate().startsWith("candidate:" + i + " "), atAlice.getCandidate());
            }
        }
    }

    @Test
    void fromUserIdIsAlwaysTheSendersOwn() throws Exception {
        try (Peer mallory = Transport.WEBSOCKET_JSON.connect("mallory", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            mallory.hello("mallory-spoof");
            bob.hello("bob-spoof");
            mallory.join("spoof");
            bob.join("spoof");
            mallory.send(offer("spoof", "bob-spoof", sdp("m", "spoof")).build().toBuilder()
                                 .setOffer(Offer.newBuilder()
                                                   .setRoomId("spoof")
                                                   .setTargetUserId("bob-spoof")
                                                   .setSdp("v=0")
                                                   .setFromUserId("alice"))
                                 .build());
            assertEquals("mallory-spoof", bob.next(OFFER).getOffer().getFromUserId());
        }
    }

    @Test
    void serverSequenceNumbersIncreaseByOneWithinASession() throws Exception {
        try (Peer alice = Transport.WEBSOCKET_JSON.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            alice.hello("alice-seq");
            bob.hello("bob-seq");
            alice.join("seq");
            bob.join("seq");
            for (int i = 0; i < 20; i++) {
                alice.sendNumbered(offer("seq", "bob-seq", "v=0 " + i));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("v=0 " + i, bob.next(OFFER).getOffer().getSdp());
            }
            long expected = 1;
            for (ServerMessage message : bob.received()) {
                assertEquals(expected++, message.getSequence(), "sequence of " + message.getPayloadCase());
            }
        }
    }

    private static void assertAck(Ack ack, SignalKind kind, long sequence, String requestId) {
        assertEquals(kind, ack.getKind());
        assertEquals(sequence, ack.getSequence());
        assertEquals(requestId, ack.getRequestId());
        assertTrue(ack.getSuccess(), "ack success");
    }
}
