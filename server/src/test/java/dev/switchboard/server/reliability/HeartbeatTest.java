package dev.switchboard.server.reliability;

import java.time.Duration;
import java.util.Map;

import dev.switchboard.server.testing.TcpProxy;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.HeartbeatPolicy;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.Pong;
import dev.switchboard.signaling.v1.ReconnectPolicy;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PONG;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeats: the contract in welcome, ping/pong, a silent connection found dead by the timeout, and quiet but
 * live connections kept alive by transport-level traffic.
 */
class HeartbeatTest {
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(
            "heartbeat.interval", "PT0.1S",
            "heartbeat.timeout", "PT0.5S",
            "resume.window", "PT0.5S"));

    @ParameterizedTest
    @EnumSource(Transport.class)
    void welcomeCarriesThePoliciesAndPingIsAnsweredWithPong(Transport transport) {
        try (Peer alice = transport.connect("alice", server.port())) {
            Welcome welcome = alice.hello("alice-ping-" + transport).getWelcome();
            assertEquals(HeartbeatPolicy.newBuilder().setIntervalMs(100).setTimeoutMs(500).build(),
                         welcome.getHeartbeat());
            assertEquals(ReconnectPolicy.newBuilder().setInitialDelayMs(250).setMultiplier(2).setMaxDelayMs(5000)
                                 .setJitter(0.5).build(), welcome.getReconnect());
            long before = System.currentTimeMillis();
            alice.send(ping(1234).setRequestId("p").build());
            ServerMessage pong = alice.next(PONG);
            Pong body = pong.getPong();
            assertEquals(1234, body.getClientTimeMs());
            assertTrue(body.getServerTimeMs() >= before, "server clock " + body.getServerTimeMs());
            assertEquals("p", pong.getRequestId());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSilentConnectionIsDroppedByTheHeartbeatTimeout(Transport transport) throws Exception {
        String room = "silent-" + transport;
        try (TcpProxy network = new TcpProxy(server.port());
             Peer bob = Transport.WEBSOCKET_JSON.connect("bob", server.port());  // kept alive by ping frames
             Peer alice = transport.connect("alice", network.port())) {
            Peer.meet(room, alice, "alice-" + room, bob, "bob-" + room);

            network.freeze();   // the path goes silent; no socket closes, no RST
            ServerMessage left = bob.next(PEER_LEFT);
            assertEquals("alice-" + room, left.getPeerLeft().getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_TIMEOUT, left.getPeerLeft().getReason());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aQuietClientStaysConnectedThanksToTransportKeepalives(Transport transport) throws Exception {
        // WebSocket: ping frames that java.net.http answers by itself; gRPC: HTTP/2 PINGs that grpc-java answers
        String room = "quiet-" + transport;
        try (Peer quiet = transport.connect("quiet", server.port());
             Peer bob = Transport.WEBSOCKET_JSON.connect("bob", server.port())) {
            Peer.meet(room, quiet, "quiet-" + room, bob, "bob-" + room);
            idleFor(quiet, TIMEOUT.multipliedBy(4));
            bob.send(offer(room, "quiet-" + room, "v=0 still there").build());
            assertEquals("v=0 still there", quiet.next(OFFER).getOffer().getSdp());
            assertFalse(quiet.isClosed());
            assertFalse(bob.received().stream().anyMatch(ServerMessage::hasPeerLeft));
        }
    }

    /** Stays silent for a while, as a quiet client does; fails if the server closes the connection meanwhile. */
    private static void idleFor(Peer peer, Duration quiet) {
        long until = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < until) {
            ServerMessage unexpected = peer.poll(Duration.ofMillis(50));
            assertTrue(unexpected == null, "nothing expected while idle, got " + unexpected);
            assertFalse(peer.isClosed(), "the server dropped a live connection");
        }
    }
}
