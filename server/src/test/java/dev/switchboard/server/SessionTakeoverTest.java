package dev.switchboard.server;

import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.Error;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.PeerLeft;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.testkit.Messages.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second session of the same user takes over; the older one is told why and closed.
 */
class SessionTakeoverTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aNewSessionOfTheSameUserReplacesTheOldOne(Transport oldTransport) throws Exception {
        try (TestServer server = TestServer.start();
             Peer bob = Transport.GRPC.connect("bob", server.port());
             Peer oldAlice = oldTransport.connect("old alice", server.port());
             Peer newAlice = Transport.WEBSOCKET_JSON.connect("new alice", server.port())) {
            bob.hello("bob");
            bob.join("takeover");
            oldAlice.hello("alice");
            oldAlice.join("takeover");
            bob.next(PEER_JOINED);

            newAlice.hello("alice");
            Error replaced = oldAlice.next(ERROR).getError();
            assertEquals(ErrorCode.ERROR_CODE_SESSION_REPLACED, replaced.getCode());
            assertTrue(replaced.getFatal());
            String closedAs = oldAlice.awaitClosed();
            assertTrue(closedAs.contains("replaced"), closedAs);
            PeerLeft left = bob.next(PEER_LEFT).getPeerLeft();
            assertEquals("alice", left.getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_REPLACED, left.getReason());

            newAlice.join("takeover");
            assertEquals("alice", bob.next(PEER_JOINED).getPeerJoined().getUserId());
            bob.send(offer("takeover", "alice", "v=0 to the new alice").build());
            assertEquals("v=0 to the new alice", newAlice.next(OFFER).getOffer().getSdp());
        }
    }
}
