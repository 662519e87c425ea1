package dev.switchboard.server.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.switchboard.server.testing.TcpProxy;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ACK;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.WELCOME;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.resume;
import static dev.switchboard.testkit.Messages.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session resume: a session whose connection dies survives for the resume window; a new connection, on either
 * transport, picks it up with every message it missed, exactly once and in order, and its peers never notice.
 */
class ResumeTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static Stream<Arguments> transportChanges() {
        return Stream.of(Arguments.of(Transport.GRPC, Transport.WEBSOCKET_JSON),
                         Arguments.of(Transport.WEBSOCKET_JSON, Transport.WEBSOCKET_BINARY),
                         Arguments.of(Transport.WEBSOCKET_BINARY, Transport.GRPC));
    }

    @ParameterizedTest
    @MethodSource("transportChanges")
    void aKilledConnectionResumesOverTheOtherTransportWithEverythingItMissed(Transport from, Transport to)
            throws Exception {
        String room = "resume-" + from + "-" + to;
        try (TcpProxy network = new TcpProxy(server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port());
             Peer alice = from.connect("alice", network.port())) {
            Welcome welcome = alice.hello("alice").getWelcome();
            assertFalse(welcome.getResumeToken().isEmpty());
            assertEquals(30_000, welcome.getResumeWindowMs());
            bob.hello("bob");
            alice.join(room);
            bob.join(room);
            alice.next(PEER_JOINED);
            long lastReceived = alice.lastSequence();

            network.cutAll();
            for (int i = 1; i <= 5; i++) {
                bob.sendNumbered(offer(room, "alice", sdp("u1", "missed-" + i)));
            }
            for (int i = 1; i <= 5; i++) {
                Ack ack = bob.next(ACK).getAck();
                assertTrue(ack.getSuccess(), "buffered for alice counts as relayed: " + ack);
            }

            try (Peer resumed = to.connect("alice again", server.port())) {
                resumed.send(resume(welcome.getResumeToken(), lastReceived).build());
                ServerMessage again = resumed.next();
                assertEquals(WELCOME, again.getPayloadCase(), "first comes the welcome: " + again);
                assertTrue(again.getWelcome().getResumed());
                assertEquals(0, again.getSequence(), "the resumed welcome is not part of the replayed stream");
                assertEquals(welcome.getSessionId(), again.getWelcome().getSessionId());
                for (int i = 1; i <= 5; i++) {
                    ServerMessage replayed = resumed.next();
                    assertEquals(OFFER, replayed.getPayloadCase(), "replay " + i + ": " + replayed);
                    assertEquals(lastReceived + i, replayed.getSequence());
                    assertTrue(replayed.getOffer().getSdp().contains("s=missed-" + i), replayed.toString());
                }
                // live again, both ways
                resumed.send(offer(room, "bob", sdp("u2", "back")).build());
                assertTrue(bob.next(OFFER).getOffer().getSdp().contains("s=back"));
                bob.send(offer(room, "alice", sdp("u1", "live")).build());
                assertTrue(resumed.next(OFFER).getOffer().getSdp().contains("s=live"));
                assertFalse(bob.received().stream().anyMatch(ServerMessage::hasPeerLeft),
                            "bob must not see alice leave: " + bob.received());
            }
        }
    }

    @Test
    void signalsResentAfterAResumeAreAppliedOnce() throws Exception {
        String room = "resend";
        try (TcpProxy network = new TcpProxy(server.port());
             Peer bob = Transport.WEBSOCKET_BINARY.connect("bob", server.port());
             Peer alice = Transport.WEBSOCKET_JSON.connect("alice", network.port())) {
            Welcome welcome = Peer.meet(room, alice, "alice-resend", bob, "bob-resend").getWelcome();
            List<Long> sent = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                sent.add(alice.sendNumbered(offer(room, "bob-resend", sdp("u", "offer-" + i))));
            }
            for (int i = 1; i <= 3; i++) {
                alice.next(ACK);
            }
            // the last one may or may not get through before the cut
            sent.add(alice.sendNumbered(offer(room, "bob-resend", sdp("u", "offer-4"))));
            network.cutAll();

            try (Peer resumed = Transport.GRPC.connect("alice again", server.port())) {
                resumed.send(resume(welcome.getResumeToken(), alice.lastSequence()).build());
                Welcome again = resumed.next(WELCOME).getWelcome();
                assertTrue(again.getLastProcessedSequence() >= sent.get(2), "processed " + again);
                // a careful client re-sends only what follows last_processed_sequence; re-sending all is safe
                for (int i = 0; i < sent.size(); i++) {
                    resumed.send(offer(room, "bob-resend", sdp("u", "offer-" + (i + 1)))
                                         .setSequence(sent.get(i)).build());
                }
                resumed.send(offer(room, "bob-resend", sdp("u", "marker")).setSequence(5).build());
                List<String> delivered = new ArrayList<>();
                while (!delivered.contains("marker")) {
                    String offerSdp = bob.next(OFFER).getOffer().getSdp();
                    delivered.add(offerSdp.substring(offerSdp.indexOf("s=") + 2, offerSdp.indexOf("\r\nt=")));
                }
                assertEquals(List.of("offer-1", "offer-2", "offer-3", "offer-4", "marker"), delivered);
                // acks come in order: once the marker's is in, every re-send's is
                resumed.next(m -> m.hasAck() && m.getAck().getSequence() == 5, "the marker's ack");
                long duplicates = resumed.received().stream()
                        .filter(m -> m.hasAck() && m.getAck().getDuplicate()).count();
                assertTrue(duplicates >= 3, "offers 1-3 were re-sent: " + resumed.received());
            }
        }
    }

    @Test
    void aResumeClaimingMessagesNeverSentIsRefusedAndTheSessionStaysResumable() throws Exception {
        try (TcpProxy network = new TcpProxy(server.port());
             Peer alice = Transport.WEBSOCKET_BINARY.connect("alice", network.port())) {
            Welcome welcome = alice.hello("alice-ahead").getWelcome();
            network.cutAll();
            try (Peer again = Transport.GRPC.connect("alice again", server.port())) {
                again.send(resume(welcome.getResumeToken(), 1_000).build());
                ServerMessage refused = again.next(ERROR);
                assertEquals(ErrorCode.ERROR_CODE_RESUME_FAILED, refused.getError().getCode());
                assertTrue(refused.getError().getMessage().contains("beyond the last message sent"),
                           refused.getError().getMessage());
                // the same connection, with the right position, resumes
                again.send(resume(welcome.getResumeToken(), alice.lastSequence()).build());
                assertTrue(again.next(WELCOME).getWelcome().getResumed());
            }
        }
    }

    @Test
    void aResumeThatTheBufferCanNoLongerServeFailsAndEndsTheSession() throws Exception {
        try (TestServer smallBuffer = TestServer.start(Map.of("resume.buffer-messages", "4"));
             TcpProxy network = new TcpProxy(smallBuffer.port());
             Peer bob = Transport.WEBSOCKET_JSON.connect("bob", smallBuffer.port());
             Peer alice = Transport.GRPC.connect("alice", network.port())) {
            Welcome welcome = alice.hello("alice").getWelcome();
            bob.hello("bob");
            alice.join("gap");
            bob.join("gap");
            long seenBeforeOffers = alice.next(PEER_JOINED).getSequence();
            for (int i = 1; i <= 6; i++) {
                bob.send(offer("gap", "alice", "v=0 " + i).build());
                alice.next(OFFER);  // received, never acknowledged: the buffer keeps only the last 4
            }
            network.cutAll();
            try (Peer again = Transport.WEBSOCKET_BINARY.connect("alice again", smallBuffer.port())) {
                again.send(resume(welcome.getResumeToken(), seenBeforeOffers).build());
                ServerMessage failed = again.next(ERROR);
                assertEquals(ErrorCode.ERROR_CODE_RESUME_FAILED, failed.getError().getCode());
                assertTrue(failed.getError().getMessage().contains("no longer holds"), failed.toString());
            }
            ServerMessage left = bob.next(PEER_LEFT);
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_TIMEOUT, left.getPeerLeft().getReason());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aResumeAfterTheWindowFailsAndPeersSawTheSessionEnd(Transport transport) throws Exception {
        String room = "late-" + transport;
        try (TestServer shortWindow = TestServer.start(Map.of("resume.window", "PT0.3S"));
             TcpProxy network = new TcpProxy(shortWindow.port());
             Peer bob = Transport.WEBSOCKET_JSON.connect("bob", shortWindow.port());
             Peer alice = transport.connect("alice", network.port())) {
            Welcome welcome = Peer.meet(room, alice, "alice", bob, "bob").getWelcome();

            network.cutAll();
            ServerMessage left = bob.next(PEER_LEFT);
            assertEquals("alice", left.getPeerLeft().getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_TIMEOUT, left.getPeerLeft().getReason());

            try (Peer late = transport.connect("alice, too late", shortWindow.port())) {
                late.send(resume(welcome.getResumeToken(), alice.lastSequence()).setRequestId("r1").build());
                ServerMessage failed = late.next(ERROR);
                assertEquals(ErrorCode.ERROR_CODE_RESUME_FAILED, failed.getError().getCode());
                assertEquals("r1", failed.getRequestId());
                assertFalse(failed.getError().getFatal());
                assertTrue(failed.getError().getMessage().contains("not resumed within 300 ms"),
                           "the reason: " + failed.getError().getMessage());
                // the connection stays usable for a fresh session
                Welcome fresh = late.hello("alice").getWelcome();
                assertFalse(fresh.getResumed());
                assertFalse(fresh.getSessionId().equals(welcome.getSessionId()));
            }
        }
    }
}
