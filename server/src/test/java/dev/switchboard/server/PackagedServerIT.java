package dev.switchboard.server;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.testing.ServerProcess;
import dev.switchboard.signaling.v1.GetIceServersResponse;
import dev.switchboard.signaling.v1.GoingAway;
import dev.switchboard.signaling.v1.IceServer;
import dev.switchboard.testkit.GrpcPeer;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.WebSocketPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.GOING_AWAY;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.testkit.Messages.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server, started the way the README starts it: {@code java -jar server/target/switchboard-server.jar}
 * from the repository root, configured by {@code config/application.yaml}, {@code SWITCHBOARD_CONFIG} and
 * environment variables.
 */
class PackagedServerIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void startsWithTheRepositoryConfigAndEnvironmentOverridesIt() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("TURN_URL", "turn:127.0.0.1:3478?transport=tcp",
                                                 "TURN_USERNAME", "gateway",
                                                 "TURN_PASSWORD", "from-env"))) {
            List<IceServer> servers = iceServers(server);
            assertTrue(List.copyOf(server.output()).stream().noneMatch(line -> line.startsWith("SLF4J")
                               || line.startsWith("WARNING: ")),
                       "a clean start: no SLF4J or JDK warnings: " + server.output());
            assertEquals(List.of("stun:stun.l.google.com:19302"), servers.get(0).getUrlsList(),
                         "STUN comes from config/application.yaml");
            assertEquals(List.of("turn:127.0.0.1:3478?transport=tcp"), servers.get(1).getUrlsList());
            assertEquals("gateway", servers.get(1).getUsername());
            assertEquals("from-env", servers.get(1).getCredential());
        }
    }

    @Test
    void readsTheFileThatSwitchboardConfigNames(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("custom.yaml");
        Files.writeString(file, "stun:\n  urls: \"stun:127.0.0.1:9999\"\n");
        try (ServerProcess server = ServerProcess.start(Map.of("SWITCHBOARD_CONFIG", file.toString()))) {
            List<IceServer> servers = iceServers(server);
            assertEquals(1, servers.size());
            assertEquals(List.of("stun:127.0.0.1:9999"), servers.get(0).getUrlsList());
        }
    }

    @Test
    void logsJsonLinesWhenAskedTo() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("LOGGING_FORMAT", "json"))) {
            String ready = server.output().stream().filter(line -> line.contains("Switchboard listening"))
                    .findFirst().orElseThrow();
            try (JsonParser json = new JsonFactory().createParser(ready)) {
                Map<String, String> fields = new HashMap<>();
                assertEquals(JsonToken.START_OBJECT, json.nextToken());
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    json.nextToken();
                    fields.put(name, json.getText());
                }
                assertEquals("Switchboard listening on port " + server.port(), fields.get("message"));
                assertEquals("INFO", fields.get("level"));
                assertEquals("switchboard", fields.get("logger"));
            }
        }
        assertEquals(2, ServerProcess.run(Map.of("LOGGING_FORMAT", "xml")).exitCode());
    }

    @Test
    void sigtermDrainsTheServerBeforeItStops() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of("DRAIN_TIMEOUT", "PT20S"))) {
            GrpcPeer peer = new GrpcPeer("draining", server.port());
            peer.hello("draining");

            server.process().destroy();   // SIGTERM

            GoingAway goingAway = peer.next(GOING_AWAY).getGoingAway();
            assertTrue(goingAway.getReconnectAfterMs() < 2_000, "spread over drain.reconnect-spread");
            assertFalse(server.process().waitFor(300, TimeUnit.MILLISECONDS), "waits for the client to leave");
            peer.close();
            assertTrue(server.process().waitFor(15, TimeUnit.SECONDS), "stops once the client left");
        }
    }

    @Test
    void relaysAnOfferBetweenAWebSocketAndAGrpcPeer() throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of());
             WebSocketPeer alice = new WebSocketPeer("alice", server.port(), false);
             GrpcPeer bob = new GrpcPeer("bob", server.port())) {
            alice.hello("alice");
            bob.hello("bob");
            alice.join("packaged");
            bob.join("packaged");
            alice.send(offer("packaged", "bob", "v=0 packaged").build());
            assertEquals("alice", bob.next(OFFER).getOffer().getFromUserId());
        }
    }

    @ParameterizedTest
    @CsvSource({"LOGGING_LEVELS_SWITCHBOARD_RELAY, FINE", "JAVA_TOOL_OPTIONS, -Dswitchboard.relay.level=FINE"})
    void aLoggersLevelIsSetByEnvironmentOrSystemProperty(String variable, String value) throws Exception {
        try (ServerProcess server = ServerProcess.start(Map.of(variable, value));
             WebSocketPeer alice = new WebSocketPeer("alice", server.port(), false);
             GrpcPeer bob = new GrpcPeer("bob", server.port())) {
            Peer.meet("logged", alice, "alice", bob, "bob");
            alice.send(offer("logged", "bob", "v=0 logged").build());
            bob.next(OFFER);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (List.copyOf(server.output()).stream().noneMatch(line -> line.contains("offer: alice -> bob"))) {
                assertTrue(System.nanoTime() < deadline, "no FINE relay line in " + server.output());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));     // poll the output until the deadline
            }
        }
    }

    @Test
    void aLogLevelThatIsNoneStopsStartupAndNamesIt() throws Exception {
        ServerProcess.Result result = ServerProcess.run(Map.of("LOGGING_LEVELS_SWITCHBOARD_RELAY", "LOUD"));
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains("logging.levels.switchboard.relay"), result.output());
    }

    @Test
    void aBadSettingStopsStartupAndNamesIt() throws Exception {
        ServerProcess.Result result = ServerProcess.run(Map.of("TURN_URL", "turn.example.org"));
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains("TURN_URL"), result.output());
    }

    @ParameterizedTest
    @ValueSource(strings = {"notaport", "99999", "-1"})
    void aPortThatIsNoPortStopsStartupInOneLine(String port) throws Exception {
        ServerProcess.Result result = ServerProcess.run(Map.of("SERVER_PORT", port));
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains("server.port (SERVER_PORT)"), result.output());
        assertFalse(result.output().contains("\tat "), "no stack trace: " + result.output());
    }

    @Test
    void aPortInUseStopsStartupAndNamesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerProcess.Result result = ServerProcess.run(Map.of("SERVER_PORT",
                                                                   Integer.toString(taken.getLocalPort())));
            assertEquals(2, result.exitCode(), result.output());
            assertTrue(result.output().contains("server.port (SERVER_PORT): cannot listen on 127.0.0.1:"
                                                        + taken.getLocalPort()), result.output());
        }
    }

    @Test
    void anUnknownClusterModeStopsStartupAndNamesIt() throws Exception {
        ServerProcess.Result result = ServerProcess.run(Map.of("CLUSTER_MODE", "zookeeper"));
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains("cluster.mode"), result.output());
    }

    @Test
    void anUnreachableRedisStopsAClusterNodeAndNamesTheSetting() throws Exception {
        int unused;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            unused = probe.getLocalPort();     // free, and closed again: nothing listens there
        }
        ServerProcess.Result result = ServerProcess.run(Map.of("CLUSTER_MODE", "redis",
                                                               "CLUSTER_REDIS_URI", "redis://127.0.0.1:" + unused));
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains("cluster.redis.uri: cannot reach Redis"), result.output());
    }

    @Test
    void aMissingConfigFileStopsStartupAndNamesIt() throws Exception {
        ServerProcess.Result result = ServerProcess.run(Map.of("SWITCHBOARD_CONFIG", "/nonexistent/switchboard.yaml"));
        assertEquals(2, result.exitCode(), result.output());
        assertTrue(result.output().contains("SWITCHBOARD_CONFIG"), result.output());
    }

    private static List<IceServer> iceServers(ServerProcess server) throws Exception {
        String json = HTTP.send(HttpRequest.newBuilder(server.uri("/webrtc/ice-servers")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
        GetIceServersResponse.Builder response = GetIceServersResponse.newBuilder();
        JsonFormat.parser().merge(json, response);
        return response.getIceServersList();
    }
}
