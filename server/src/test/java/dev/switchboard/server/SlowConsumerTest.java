package dev.switchboard.server;

import java.util.Map;

import dev.switchboard.server.testing.Peer;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.server.testing.Transport;
import dev.switchboard.server.testing.WebSocketPeer;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;
import org.junit.jupiter.api.Test;

import static dev.switchboard.server.testing.Messages.offer;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that stops reading can neither stall its senders nor make the server buffer without bound: past the
 * outbound queue limit its connection is dropped; its session then buffers for a resume, and once that buffer
 * overflows too the session ends. Everyone else carries on.
 */
class SlowConsumerTest {
    private static final int MAX_OFFERS = 20_000;

    @Test
    void aPeerThatStopsReadingIsDisconnectedAndOthersCarryOn() throws Exception {
        try (TestServer server = TestServer.start(Map.of("session.outbound-queue-bytes", "262144"));
             Peer sender = Transport.GRPC.connect("sender", server.port());
             WebSocketPeer slow = new WebSocketPeer("slow", server.port(), true);
             Peer bystander = Transport.WEBSOCKET_JSON.connect("bystander", server.port())) {
            sender.hello("sender");
            slow.hello("slow");
            bystander.hello("bystander");
            sender.join("slow-room");
            slow.join("slow-room");
            bystander.join("slow-room");
            sender.next(PEER_JOINED);
            sender.next(PEER_JOINED);

            slow.pauseReading();
            String sdp = "v=0 " + "x".repeat(8192);
            ServerMessage slowLeft = null;
            int sent = 0;
            while (slowLeft == null && sent < MAX_OFFERS) {
                for (int i = 0; i < 100; i++, sent++) {
                    sender.send(offer("slow-room", "slow", sdp + sent).build());
                }
                bystander.send(offer("slow-room", "sender", "v=0 still here " + sent).build());
                assertEquals("v=0 still here " + sent, sender.next(OFFER).getOffer().getSdp());
                sender.drain();
                slowLeft = sender.received().stream().filter(ServerMessage::hasPeerLeft).findFirst().orElse(null);
            }
            assertTrue(slowLeft != null, "the slow peer was still connected after " + sent + " offers");
            assertEquals("slow", slowLeft.getPeerLeft().getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_TIMEOUT, slowLeft.getPeerLeft().getReason());

            bystander.send(offer("slow-room", "sender", "v=0 after").build());
            assertEquals("v=0 after", sender.next(OFFER).getOffer().getSdp());
        }
    }
}
