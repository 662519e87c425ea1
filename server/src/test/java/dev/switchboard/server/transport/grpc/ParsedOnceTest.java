package dev.switchboard.server.transport.grpc;

import dev.switchboard.server.testing.TestServer;
import dev.switchboard.testkit.GrpcPeer;
import dev.switchboard.testkit.Peer;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.testkit.Messages.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The signaling stream's messages are parsed once, from an array, by {@link AligningHandler}: none goes through
 * the InputStream Helidon's gRPC handler gives the marshaller (which reads a byte at a time).
 */
class ParsedOnceTest {
    @Test
    void signalingMessagesNeverReachTheMarshallerAsAStream() {
        try (TestServer server = TestServer.start();
             GrpcPeer alice = new GrpcPeer("alice", server.port());
             GrpcPeer bob = new GrpcPeer("bob", server.port())) {
            long before = InboundFrame.Marshaller.STREAM_PARSES.sum();
            Peer.meet("parsed", alice, "alice", bob, "bob");
            for (int i = 0; i < 20; i++) {
                alice.sendNumbered(offer("parsed", "bob", "v=0 " + "s".repeat(i * 500)));
                assertEquals("alice", bob.next(OFFER).getOffer().getFromUserId());
            }
            assertEquals(before, InboundFrame.Marshaller.STREAM_PARSES.sum(), "messages parsed from Helidon's stream");
        }
    }
}
