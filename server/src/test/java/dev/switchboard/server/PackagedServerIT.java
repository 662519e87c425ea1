package dev.switchboard.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.testing.GrpcPeer;
import dev.switchboard.server.testing.WebSocketPeer;
import dev.switchboard.signaling.v1.GetIceServersResponse;
import dev.switchboard.signaling.v1.GoingAway;
import dev.switchboard.signaling.v1.IceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.switchboard.server.testing.Messages.offer;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.GOING_AWAY;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server, started the way the README starts it: {@code java -jar server/target/switchboard-server.jar}
 * from the repository root, configured by {@code config/application.yaml}, {@code SWITCHBOARD_CONFIG} and
 * environment variables.
 */
class PackagedServerIT {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Path JAR = REPOSITORY.resolve("server/target/switchboard-server.jar");
    private static final Pattern READY = Pattern.compile("Switchboard listening on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void startsWithTheRepositoryConfigAndEnvironmentOverridesIt() throws Exception {
        try (Server server = Server.start(Map.of("TURN_URL", "turn:127.0.0.1:3478?transport=tcp",
                                                 "TURN_USERNAME", "gateway",
                                                 "TURN_PASSWORD", "from-env"))) {
            List<IceServer> servers = iceServers(server);
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
        try (Server server = Server.start(Map.of("SWITCHBOARD_CONFIG", file.toString()))) {
            List<IceServer> servers = iceServers(server);
            assertEquals(1, servers.size());
            assertEquals(List.of("stun:127.0.0.1:9999"), servers.get(0).getUrlsList());
        }
    }

    @Test
    void logsJsonLinesWhenAskedTo() throws Exception {
        try (Server server = Server.start(Map.of("LOGGING_FORMAT", "json"))) {
            String ready = server.output.stream().filter(line -> line.contains("Switchboard listening"))
                    .findFirst().orElseThrow();
            try (JsonParser json = new JsonFactory().createParser(ready)) {
                Map<String, String> fields = new HashMap<>();
                assertEquals(JsonToken.START_OBJECT, json.nextToken());
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    json.nextToken();
                    fields.put(name, json.getText());
                }
                assertEquals("Switchboard listening on port " + server.port, fields.get("message"));
                assertEquals("INFO", fields.get("level"));
                assertEquals("switchboard", fields.get("logger"));
            }
        }
        assertEquals(2, Server.run(Map.of("LOGGING_FORMAT", "xml")).exitCode);
    }

    @Test
    void sigtermDrainsTheServerBeforeItStops() throws Exception {
        try (Server server = Server.start(Map.of("DRAIN_TIMEOUT", "PT20S"))) {
            GrpcPeer peer = new GrpcPeer("draining", server.port);
            peer.hello("draining");

            server.process.destroy();   // SIGTERM

            GoingAway goingAway = peer.next(GOING_AWAY).getGoingAway();
            assertTrue(goingAway.getReconnectAfterMs() < 2_000, "spread over drain.reconnect-spread");
            assertFalse(server.process.waitFor(300, TimeUnit.MILLISECONDS), "waits for the client to leave");
            peer.close();
            assertTrue(server.process.waitFor(15, TimeUnit.SECONDS), "stops once the client left");
        }
    }

    @Test
    void relaysAnOfferBetweenAWebSocketAndAGrpcPeer() throws Exception {
        try (Server server = Server.start(Map.of());
             WebSocketPeer alice = new WebSocketPeer("alice", server.port, false);
             GrpcPeer bob = new GrpcPeer("bob", server.port)) {
            alice.hello("alice");
            bob.hello("bob");
            alice.join("packaged");
            bob.join("packaged");
            alice.send(offer("packaged", "bob", "v=0 packaged").build());
            assertEquals("alice", bob.next(OFFER).getOffer().getFromUserId());
        }
    }

    @Test
    void aBadSettingStopsStartupAndNamesIt() throws Exception {
        Result result = Server.run(Map.of("TURN_URL", "turn.example.org"));
        assertEquals(2, result.exitCode, result.output);
        assertTrue(result.output.contains("TURN_URL"), result.output);
    }

    @Test
    void aMissingConfigFileStopsStartupAndNamesIt() throws Exception {
        Result result = Server.run(Map.of("SWITCHBOARD_CONFIG", "/nonexistent/switchboard.yaml"));
        assertEquals(2, result.exitCode, result.output);
        assertTrue(result.output.contains("SWITCHBOARD_CONFIG"), result.output);
    }

    private static List<IceServer> iceServers(Server server) throws Exception {
        String json = HTTP.send(HttpRequest.newBuilder(server.uri("/webrtc/ice-servers")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
        GetIceServersResponse.Builder response = GetIceServersResponse.newBuilder();
        JsonFormat.parser().merge(json, response);
        return response.getIceServersList();
    }

    private record Result(int exitCode, String output) {
    }

    /** The packaged server in a child process on a free loopback port. */
    private static final class Server implements AutoCloseable {
        private final Process process;
        private final List<String> output = Collections.synchronizedList(new ArrayList<>());
        private final CompletableFuture<Integer> ready = new CompletableFuture<>();
        private int port;

        private Server(Map<String, String> env) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                                                        "-jar", JAR.toString())
                    .directory(REPOSITORY.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("SERVER_PORT", "0");
            builder.environment().put("SERVER_HOST", "127.0.0.1");
            builder.environment().putAll(env);
            process = builder.start();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        output.add(line);
                        Matcher matcher = READY.matcher(line);
                        if (matcher.find()) {
                            ready.complete(Integer.parseInt(matcher.group(1)));
                        }
                    }
                } catch (Exception e) {
                    ready.completeExceptionally(e);
                }
                ready.completeExceptionally(new IllegalStateException("server exited: " + output));
            });
        }

        static Server start(Map<String, String> env) throws Exception {
            Server server = new Server(env);
            server.port = server.ready.get(30, TimeUnit.SECONDS);
            return server;
        }

        static Result run(Map<String, String> env) throws Exception {
            Server server = new Server(env);
            assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), "the server should have exited");
            server.process.getInputStream().close();
            return new Result(server.process.exitValue(), String.join("\n", server.output));
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
