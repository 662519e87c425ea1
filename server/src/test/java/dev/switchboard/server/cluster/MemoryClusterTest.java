package dev.switchboard.server.cluster;

import java.util.Map;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.cluster.memory.MemoryCluster;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Welcome;
import dev.switchboard.testkit.GrpcPeer;
import dev.switchboard.testkit.Peer;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.WELCOME;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.resume;
import static dev.switchboard.testkit.Messages.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster contract over the in-memory backend: every node in this JVM.
 */
class MemoryClusterTest extends ClusterContract {
    private final MemoryCluster backend = new MemoryCluster();

    @Override
    Switchboard start(Map<String, String> settings) {
        return Switchboard.start(config(settings), backend.backend());
    }

    @Test
    void aBackendFailureInTheMiddleOfAHandOverLosesNoSession() {
        Switchboard first = node();
        Switchboard second = node();
        try (GrpcPeer alice = new GrpcPeer("alice", first.port());
             GrpcPeer bob = new GrpcPeer("bob", first.port())) {
            Peer.meet("call", alice, "alice", bob, "bob");
            Welcome welcome = welcomeOf(alice);
            long lastReceived = alice.lastSequence();
            backend.stopAtNextClaim();      // the owner lets go, then the backend fails before the move is stored

            try (GrpcPeer back = new GrpcPeer("alice elsewhere", second.port())) {
                back.send(resume(welcome.getResumeToken(), lastReceived).build());
                assertTrue(back.next(WELCOME).getWelcome().getResumed(), "the claimer kept the session");
                alice.awaitClosed();
                long during = bob.sendNumbered(offer("call", "alice", sdp("b1", "again")));
                assertEquals(ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, ackOf(bob, during).getAck().getErrorCode(),
                             "bob's node knows alice moved, and cannot reach her node yet");

                backend.start();
                awaitAvailable(first, true);
                awaitAvailable(second, true);
                awaitMirrored(second);
                bob.send(offer("call", "alice", sdp("b1", "again")).setSequence(during).build());
                assertEquals("again", label(back.next(OFFER).getOffer().getSdp()), "the re-send reaches her");
                try (GrpcPeer carol = new GrpcPeer("carol", second.port())) {
                    carol.hello("carol");
                    assertEquals(2, carol.join("call").getRoomJoined().getMembersCount(),
                                 "the directory has alice on her new node");
                }
            }
        }
    }

    @Override
    void backendDown() {
        backend.stop();
    }

    @Override
    void backendBack() {
        backend.restart();
    }
}
