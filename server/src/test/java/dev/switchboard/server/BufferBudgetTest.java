package dev.switchboard.server;

import java.util.Map;

import dev.switchboard.server.testing.BackgroundPair;
import dev.switchboard.server.testing.Prometheus;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ACK;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.resume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code limits.buffer-budget}: the bytes held for all clients together. A session that waits to be resumed
 * while its peers keep sending holds more and more; at the budget it ends as if its own buffer had overflowed,
 * while sessions that keep up (they hold less than their allowance) are not touched.
 */
class BufferBudgetTest {
    private static final long BUDGET = 256 * 1024;

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("limits.buffer-budget", Long.toString(BUDGET),
                                                                "resume.buffer-bytes", "4194304",
                                                                "resume.buffer-messages", "100000"));
    @RegisterExtension
    final BackgroundPair background = new BackgroundPair(server);

    @Test
    void aDetachedSessionThatWouldPassTheBudgetEndsAndKeepingUpSessionsGoOn() throws Exception {
        try (Peer sender = Transport.GRPC.connect("sender", server.port());
             Peer away = Transport.WEBSOCKET_BINARY.connect("away", server.port())) {
            Peer.meet("budget", sender, "budget-sender", away, "budget-away");
            String resumeToken = away.received().getFirst().getWelcome().getResumeToken();
            away.abort();
            String sdp = "v=0 " + "x".repeat(8 * 1024);
            ServerMessage left = null;
            for (int i = 0; i < 200 && left == null; i++) {
                sender.sendNumbered(offer("budget", "budget-away", sdp + i));
                sender.next(ACK);
                background.relay();
                assertTrue(Prometheus.scrape(server.port()).get("switchboard_buffered_bytes") <= BUDGET
                                   + 4 * 16 * 1024, "within the budget, plus the free allowances");
                sender.drain();     // next(ACK) may have skipped it: look at everything received
                left = sender.received().stream().filter(ServerMessage::hasPeerLeft).findFirst().orElse(null);
            }
            if (left == null) {
                left = sender.next(PEER_LEFT);
            }
            assertEquals("budget-away", left.getPeerLeft().getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_TIMEOUT, left.getPeerLeft().getReason());

            try (Peer back = Transport.WEBSOCKET_BINARY.connect("back", server.port())) {
                back.send(resume(resumeToken, 0).build());
                assertEquals(ErrorCode.ERROR_CODE_RESUME_FAILED, back.next(ERROR).getError().getCode());
            }
        }
    }
}
