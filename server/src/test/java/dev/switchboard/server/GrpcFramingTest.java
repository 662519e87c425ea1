package dev.switchboard.server;

import dev.switchboard.server.testing.TestServer;
import dev.switchboard.testkit.GrpcPeer;
import dev.switchboard.testkit.WebSocketPeer;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.testkit.Messages.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * gRPC messages sent back to back are split into HTTP/2 DATA frames at arbitrary points, message prefixes
 * included; every one of them must still arrive intact and in order.
 */
class GrpcFramingTest {
    private static final int MESSAGES = 1500;
    private static final int WINDOW = 64;

    @Test
    void aBurstOfAssortedSizesArrivesWholeAndInOrder() throws Exception {
        try (TestServer server = TestServer.start();
             GrpcPeer sender = new GrpcPeer("sender", server.port());
             WebSocketPeer receiver = new WebSocketPeer("receiver", server.port(), true)) {
            sender.hello("burst-sender");
            receiver.hello("burst-receiver");
            sender.join("burst");
            receiver.join("burst");
            // at most WINDOW offers (~650 KB) ahead of what the receiver has read: sending all 1,500 (15 MB) first
            // made the server drop the receiver as a slow consumer whenever its client read too slowly (4 MiB)
            int received = 0;
            for (int i = 0; i < MESSAGES; i++) {
                sender.sendNumbered(offer("burst", "burst-receiver", sdpOfSize(i)));
                if (i - received >= WINDOW) {
                    assertEquals(sdpOfSize(received), receiver.next(OFFER).getOffer().getSdp(), "offer " + received);
                    received++;
                }
            }
            for (; received < MESSAGES; received++) {
                assertEquals(sdpOfSize(received), receiver.next(OFFER).getOffer().getSdp(), "offer " + received);
            }
            assertFalse(sender.isClosed(), "the sender's call must survive the burst");
        }
    }

    /** Sizes sweep 1 byte to ~20 KB in odd steps, so prefixes fall at every offset of a 16 KB DATA frame. */
    private static String sdpOfSize(int i) {
        int size = 1 + (i * 7919) % 20_000;
        return i + ":" + "s".repeat(size);
    }
}
