package dev.switchboard.client.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.SignalingListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.MediaState;
import dev.switchboard.signaling.v1.Offer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The command-line tool against a real server: watching a room, sending an offer, asking for ICE servers.
 */
class SwitchboardCliTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void watchPrintsWhatHappensInTheRoom() throws Exception {
        try (TestServer server = TestServer.start()) {
            Output output = new Output();
            CompletableFuture<Void> stop = new CompletableFuture<>();
            CompletableFuture<Integer> watching = CompletableFuture.supplyAsync(() -> new SwitchboardCli(
                    output.stream, InputStream.nullInputStream()).run(
                    new String[] {"--server", "127.0.0.1:" + server.port(), "--user", "ops", "watch", "r1"}, stop));
            output.await("room_joined {\"roomId\":\"r1\"}");

            try (SwitchboardClient alice = SwitchboardClient.builder()
                    .target("127.0.0.1", server.port()).userId("alice").build()) {
                alice.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                alice.join("r1").get(WAIT.toSeconds(), TimeUnit.SECONDS);
                alice.sendOffer("r1", "ops", "v=0 from alice").get(WAIT.toSeconds(), TimeUnit.SECONDS);
                output.await("peer_joined {\"roomId\":\"r1\",\"userId\":\"alice\"");
                output.await("offer {\"roomId\":\"r1\",\"targetUserId\":\"ops\",\"sdp\":\"v=0 from alice\","
                                     + "\"fromUserId\":\"alice\"}");
                // a kind the printer does not name: it prints every message the server sends
                alice.reportMedia("r1", MediaState.newBuilder().setAudio(true).build());
                output.await("peer_media_changed {\"roomId\":\"r1\",\"userId\":\"alice\"");
            }
            stop.complete(null);
            assertEquals(0, watching.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
    }

    @Test
    void sendOfferDeliversAnSdpFromStandardInput() throws Exception {
        CompletableFuture<Offer> offers = new CompletableFuture<>();
        try (TestServer server = TestServer.start();
             SwitchboardClient bob = SwitchboardClient.builder()
                     .target("127.0.0.1", server.port()).userId("bob")
                     .listener(new SignalingListener() {
                         @Override
                         public void onOffer(Offer offer) {
                             offers.complete(offer);
                         }
                     }).build()) {
            bob.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            bob.join("r1").get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Output output = new Output();

            int exit = new SwitchboardCli(output.stream, new ByteArrayInputStream(
                    "v=0 from the cli".getBytes(StandardCharsets.UTF_8))).run(
                    new String[] {"--server", "127.0.0.1:" + server.port(), "--user", "ops",
                            "send-offer", "r1", "bob", "-"}, new CompletableFuture<>());

            assertEquals(0, exit, output.text());
            assertTrue(output.text().contains("ack {\"kind\":\"SIGNAL_KIND_OFFER\""), output.text());
            Offer offer = offers.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals("v=0 from the cli", offer.getSdp());
            assertEquals("ops", offer.getFromUserId());
        }
    }

    @Test
    void iceServersAndBadUsage() {
        try (TestServer server = TestServer.start()) {
            Output output = new Output();
            assertEquals(0, new SwitchboardCli(output.stream, InputStream.nullInputStream()).run(
                    new String[] {"--server", "127.0.0.1:" + server.port(), "ice-servers"},
                    new CompletableFuture<>()));
            assertTrue(output.text().contains(
                    "ice_servers {\"iceServers\":[{\"urls\":[\"stun:127.0.0.1:3478\"]}]}"), output.text());

            Output usage = new Output();
            assertEquals(2, new SwitchboardCli(usage.stream, InputStream.nullInputStream()).run(
                    new String[] {"send-offer", "r1"}, new CompletableFuture<>()));
            assertTrue(usage.text().contains("usage: switchboard-cli"), usage.text());
        }
    }

    /** What the tool printed, awaited line by line. */
    private static final class Output {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        void await(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!text().contains(expected)) {
                if (System.nanoTime() > deadline) {
                    fail("no '" + expected + "' within " + WAIT + " in:\n" + text());
                }
                Thread.sleep(20);   // polling printed output against a deadline
            }
        }
    }
}
