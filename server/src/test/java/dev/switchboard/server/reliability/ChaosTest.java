package dev.switchboard.server.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import dev.switchboard.server.testing.TcpProxy;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Messages;
import dev.switchboard.testkit.ReliableClient;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two peers exchange 1,000 numbered signals while the network cuts their connections at random points; each
 * comes back on the next transport and resumes. Every signal must be applied exactly once, in order.
 */
class ChaosTest {
    private static final int SIGNALS = 1000;
    private static final int IN_FLIGHT = 32;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void everySignalIsAppliedExactlyOnceInOrderAcrossRandomCuts() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String room = "chaos";
        try (TcpProxy aliceNetwork = new TcpProxy(server.port());
             TcpProxy bobNetwork = new TcpProxy(server.port());
             ReliableClient alice = new ReliableClient("alice-chaos", aliceNetwork.port(),
                                                       List.of(Transport.GRPC, Transport.WEBSOCKET_JSON,
                                                               Transport.WEBSOCKET_BINARY));
             ReliableClient bob = new ReliableClient("bob-chaos", bobNetwork.port(),
                                                     List.of(Transport.WEBSOCKET_BINARY, Transport.GRPC,
                                                             Transport.WEBSOCKET_JSON))) {
            alice.connect();
            bob.connect();
            alice.send(Messages.join(room));
            bob.send(Messages.join(room));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (roomsJoined(alice) + roomsJoined(bob) < 2) {
                assertTrue(System.nanoTime() < deadline, "the peers could not join");
                alice.pump(Duration.ofMillis(10));
                bob.pump(Duration.ofMillis(10));
            }

            int sent = 0;
            int cuts = 0;
            while (offersDelivered(bob) < SIGNALS || alice.unacknowledged() > 0) {
                assertTrue(System.nanoTime() < deadline, "seed " + seed + ": stuck after " + sent + " sent, "
                        + offersDelivered(bob) + " delivered, " + cuts + " cuts, " + alice.unacknowledged()
                        + " unacknowledged");
                if (sent < SIGNALS && alice.unacknowledged() < IN_FLIGHT) {
                    sent++;
                    alice.send(Messages.offer(room, "bob-chaos", "v=0 " + sent));
                }
                alice.pump(Duration.ofMillis(1));
                bob.pump(Duration.ofMillis(1));
                if (sent < SIGNALS && random.nextInt(50) == 0) {
                    (random.nextBoolean() ? aliceNetwork : bobNetwork).cutAll();
                    cuts++;
                }
            }

            List<String> applied = bob.delivered().stream()
                    .filter(ServerMessage::hasOffer)
                    .map(m -> m.getOffer().getSdp())
                    .toList();
            for (int i = 0; i < SIGNALS; i++) {
                assertEquals("v=0 " + (i + 1), applied.get(i), "seed " + seed + ": signal " + (i + 1));
            }
            assertEquals(SIGNALS, applied.size(), "seed " + seed);
            assertEquals(0, alice.duplicateDeliveries() + bob.duplicateDeliveries(), "seed " + seed);
            assertTrue(bob.delivered().stream().noneMatch(ServerMessage::hasPeerLeft), "seed " + seed);
            assertTrue(cuts >= 3, "seed " + seed + ": only " + cuts + " cuts; the test proved little");
            System.out.println("Chaos: seed " + seed + ", " + cuts + " cuts, " + alice.connections() + " + "
                                       + bob.connections() + " connections");
        }
    }

    private static int offersDelivered(ReliableClient client) {
        return (int) client.delivered().stream().filter(ServerMessage::hasOffer).count();
    }

    private static int roomsJoined(ReliableClient client) {
        return (int) client.delivered().stream().filter(ServerMessage::hasRoomJoined).count();
    }
}
