package dev.switchboard.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.switchboard.server.testing.Prometheus;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.PeerConnectionState.PEER_CONNECTION_STATE_FAILED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ACK;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.GOING_AWAY;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ICE_RESTART_REQUIRED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.testkit.Messages.hello;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operations: metrics move when signals flow (scraped over HTTP in Prometheus text and parsed), and health
 * readiness flips while the server drains.
 */
class ObservabilityTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void metricsCountWhatHappens() throws Exception {
        try (TestServer server = TestServer.start(Map.of("recovery.backoff", "PT20S"));
             Peer alice = Transport.WEBSOCKET_JSON.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            Peer.meet("metrics", alice, "alice", bob, "bob");
            Map<String, Double> before = scrape(server);
            assertEquals(1.0, before.get("switchboard_sessions{transport=\"websocket\"}"));
            assertEquals(1.0, before.get("switchboard_sessions{transport=\"grpc\"}"));
            assertEquals(1.0, before.get("switchboard_rooms"));
            assertEquals(2.0, before.get("switchboard_peers"));

            for (int i = 0; i < 3; i++) {
                alice.sendNumbered(offer("metrics", "bob", "v=0 " + i));
                bob.next(OFFER);
                alice.next(ACK);
            }
            alice.send(offer("metrics", "nobody", "v=0").build());
            assertEquals(ErrorCode.ERROR_CODE_PEER_NOT_FOUND, alice.next(ERROR).getError().getCode());
            bob.send(state("metrics", "alice", PEER_CONNECTION_STATE_FAILED).build());
            alice.next(ICE_RESTART_REQUIRED);

            Map<String, Double> after = scrape(server);
            assertEquals(3.0, delta(before, after, "switchboard_signals_relayed_total{kind=\"offer\"}"));
            assertEquals(3.0, delta(before, after, "switchboard_acks_total{outcome=\"success\"}"));
            assertEquals(1.0, delta(before, after, "switchboard_acks_total{outcome=\"refused\"}"));
            assertEquals(1.0, delta(before, after, "switchboard_refused_messages_total{code=\"peer_not_found\"}"));
            assertEquals(1.0, delta(before, after, "switchboard_ice_restarts_total{event=\"requested\"}"));
            assertEquals(3.0, delta(before, after, "switchboard_relay_latency_seconds_count"));
            assertTrue(after.get("switchboard_relay_latency_seconds_bucket{le=\"1.0\"}") >= 3.0);
        }
    }

    @Test
    void theJvmAndTheProcessAreMeasuredUnderTheirUsualNames() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            Map<String, Double> metrics = scrape(server);
            for (String name : List.of("jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_threads_live_threads",
                                       "jvm_classes_loaded_classes", "process_cpu_usage", "system_cpu_count",
                                       "process_files_open_files", "process_files_max_files",
                                       "process_uptime_seconds", "process_resident_memory_bytes")) {
                assertTrue(metrics.keySet().stream().anyMatch(key -> key.equals(name) || key.startsWith(name + "{")),
                           name + " missing from " + metrics.keySet());
            }
            assertTrue(metrics.get("process_resident_memory_bytes") > 16 * 1024 * 1024,
                       "RSS: " + metrics.get("process_resident_memory_bytes"));
            assertTrue(metrics.get("process_files_open_files") > 0);
        }
    }

    @Test
    void readinessTurnsFalseWhileDrainingAndClientsAreToldToGo() throws Exception {
        try (TestServer server = TestServer.start(Map.of("drain.timeout", "PT20S"))) {
            Peer peer = Transport.WEBSOCKET_JSON.connect("staying", server.port());
            peer.hello("staying");
            assertEquals(200, get(server, "/observe/health/ready").statusCode());
            assertEquals(200, get(server, "/observe/health/live").statusCode());

            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(server.switchboard()::drain);
            peer.next(GOING_AWAY);
            assertEquals(503, get(server, "/observe/health/ready").statusCode(), "not ready while draining");
            assertEquals(200, get(server, "/observe/health/live").statusCode(), "but alive");
            assertFalse(drained.isDone(), "the drain waits for the connected client");
            try (Peer late = Transport.GRPC.connect("late", server.port())) {
                late.send(hello("late").build());
                assertEquals(ErrorCode.ERROR_CODE_DRAINING, late.next(ERROR).getError().getCode());
                late.awaitClosed();
            }

            peer.close();
            assertTrue(drained.get(), "every client left before the drain timeout");
        }
    }

    private static HttpResponse<String> get(TestServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                                 .header("Accept", "text/plain").build(),
                         HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Double> scrape(TestServer server) throws Exception {
        return Prometheus.scrape(server.port());
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String sample) {
        assertTrue(after.containsKey(sample), sample + " in " + after.keySet());
        return after.get(sample) - before.getOrDefault(sample, 0.0);
    }
}
