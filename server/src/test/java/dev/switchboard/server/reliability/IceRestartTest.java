package dev.switchboard.server.reliability;

import java.time.Duration;
import java.util.Map;

import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.IceRestartFailed;
import dev.switchboard.signaling.v1.IceRestartRequired;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.switchboard.signaling.v1.PeerConnectionState.PEER_CONNECTION_STATE_CONNECTED;
import static dev.switchboard.signaling.v1.PeerConnectionState.PEER_CONNECTION_STATE_DISCONNECTED;
import static dev.switchboard.signaling.v1.PeerConnectionState.PEER_CONNECTION_STATE_FAILED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ICE_RESTART_FAILED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ICE_RESTART_REQUIRED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PONG;
import static dev.switchboard.testkit.Messages.leave;
import static dev.switchboard.testkit.Messages.ping;
import static dev.switchboard.testkit.Messages.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic ICE restart: one side asked, attempts with growing backoff, giving up after the maximum, and a
 * reset once the pair is connected again. "alice" sorts before "bob", so alice is the impolite side.
 */
class IceRestartTest {
    private static final Duration BACKOFF = Duration.ofMillis(300);

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(
            "recovery.backoff", "PT0.3S",
            "recovery.backoff-jitter", "0",
            "recovery.disconnected-grace", "PT0.3S",
            "recovery.max-attempts", "3",
            "stun.urls", "stun:127.0.0.1:3478"));

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aFailedPairIsRestartedByTheImpoliteSideUntilRecoveryGivesUp(Transport transport) {
        String room = "restart-" + transport;
        try (Peer alice = transport.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            Peer.meet(room, alice, "alice", bob, "bob");
            bob.send(state(room, "alice", PEER_CONNECTION_STATE_FAILED).build());

            long previous = 0;
            for (int attempt = 1; attempt <= 3; attempt++) {
                IceRestartRequired restart = alice.next(ICE_RESTART_REQUIRED).getIceRestartRequired();
                long at = System.nanoTime();
                assertEquals(attempt, restart.getAttempt());
                assertEquals(3, restart.getMaxAttempts());
                assertEquals("bob", restart.getTargetUserId());
                assertEquals(room, restart.getRoomId());
                assertEquals("stun:127.0.0.1:3478", restart.getIceServers(0).getUrls(0), "fresh ICE servers");
                if (attempt > 1) {
                    long minimum = BACKOFF.toNanos() << (attempt - 2);   // doubling; no jitter configured
                    assertTrue(at - previous >= minimum * 9 / 10,
                               "attempt " + attempt + " came " + (at - previous) / 1_000_000 + " ms after the last");
                }
                previous = at;
            }
            IceRestartFailed aliceGaveUp = alice.next(ICE_RESTART_FAILED).getIceRestartFailed();
            IceRestartFailed bobGaveUp = bob.next(ICE_RESTART_FAILED).getIceRestartFailed();
            assertEquals(3, aliceGaveUp.getAttempts());
            assertEquals("bob", aliceGaveUp.getTargetUserId());
            assertEquals("alice", bobGaveUp.getTargetUserId());
            assertFalse(bob.received().stream().anyMatch(ServerMessage::hasIceRestartRequired),
                        "the polite side must never be asked: " + bob.received());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void reachingConnectedResetsTheCount(Transport transport) {
        String room = "reset-" + transport;
        try (Peer alice = transport.connect("alice", server.port());
             Peer bob = Transport.WEBSOCKET_JSON.connect("bob", server.port())) {
            Peer.meet(room, alice, "alice", bob, "bob");
            alice.send(state(room, "bob", PEER_CONNECTION_STATE_FAILED).build());
            assertEquals(1, alice.next(ICE_RESTART_REQUIRED).getIceRestartRequired().getAttempt());
            alice.send(state(room, "bob", PEER_CONNECTION_STATE_CONNECTED).build());
            bob.send(state(room, "alice", PEER_CONNECTION_STATE_CONNECTED).build());
            // the two connections' reports are applied in any interleaving: each step waits for the one before
            applied(alice, bob);

            // disconnected, then connected again within the grace period: no restart
            bob.send(state(room, "alice", PEER_CONNECTION_STATE_DISCONNECTED).build());
            bob.send(state(room, "alice", PEER_CONNECTION_STATE_CONNECTED).build());
            applied(bob);
            // disconnected past the grace period: a fresh first attempt. (If this machine took longer than the
            // 0.3 s backoff to deliver the connected reports, the first restart's second attempt came before
            // them; it is skipped here: what matters is the attempt that the disconnection starts.)
            alice.send(state(room, "bob", PEER_CONNECTION_STATE_DISCONNECTED).build());
            IceRestartRequired restart = alice.next(message -> message.hasIceRestartRequired()
                            && message.getIceRestartRequired().getReason().startsWith("disconnected"),
                                                    "a restart for the disconnection").getIceRestartRequired();
            assertEquals(1, restart.getAttempt(), "the count restarts after connected");
            assertFalse(bob.received().stream().anyMatch(ServerMessage::hasIceRestartRequired));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPeerLeavingCancelsPendingRestarts(Transport transport) {
        String room = "cancel-" + transport;
        try (Peer alice = transport.connect("alice", server.port());
             Peer bob = Transport.WEBSOCKET_BINARY.connect("bob", server.port())) {
            Peer.meet(room, alice, "alice", bob, "bob");
            bob.send(state(room, "alice", PEER_CONNECTION_STATE_FAILED).build());
            assertEquals(1, alice.next(ICE_RESTART_REQUIRED).getIceRestartRequired().getAttempt());
            bob.send(leave(room).build());
            alice.next(PEER_LEFT);

            // The three attempts would have ended within 0.3 + 0.6 + 1.2 s; wait that long for anything.
            long quietUntil = System.nanoTime() + BACKOFF.multipliedBy(8).toNanos();
            while (System.nanoTime() < quietUntil) {
                alice.send(ping(1).build());
                ServerMessage next = alice.next(PONG);
                assertFalse(alice.received().stream()
                                    .anyMatch(m -> m.hasIceRestartRequired() && m.getIceRestartRequired()
                                            .getAttempt() > 1 || m.hasIceRestartFailed()),
                            "a cancelled recovery went on: " + next);
                alice.poll(BACKOFF.dividedBy(3));
            }
        }
    }

    /** Returns once the server has applied everything the peers sent so far: it answers a ping after them. */
    private static void applied(Peer... peers) {
        for (Peer peer : peers) {
            long token = System.nanoTime();
            peer.send(ping(token).build());
            peer.next(message -> message.hasPong() && message.getPong().getClientTimeMs() == token, "the pong");
        }
    }
}
