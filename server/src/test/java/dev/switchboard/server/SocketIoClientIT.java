package dev.switchboard.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.switchboard.server.testing.ServerProcess;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.GrpcPeer;
import dev.switchboard.testkit.Messages;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The old gateway's browser code against the packaged server: the real {@code socket.io-client} 4.8 from npm (lock
 * file in {@code src/test/socketio}), driven by Node's test runner ({@code old-gateway.test.mjs}), while a gRPC peer
 * in room {@code mixed} answers what it is sent, so that one room holds all three transports.
 */
class SocketIoClientIT {
    private static final Path TESTS = ServerProcess.REPOSITORY.resolve("server/src/test/socketio");

    @Test
    void theOldFrontendsSocketIoClientSignalsThroughSwitchboard() throws Exception {
        Map<String, String> env = Map.of("AUTH_MODE", "jwt",
                                         "AUTH_JWT_SECRET", AuthTest.SECRET,
                                         "HEARTBEAT_INTERVAL", "PT1S",
                                         "HEARTBEAT_TIMEOUT", "PT3S",
                                         "RECOVERY_BACKOFF", "PT0.2S",
                                         "RECOVERY_MAX_dash_ATTEMPTS", "2");
        try (ServerProcess server = ServerProcess.start(env);
             GrpcPeer bot = new GrpcPeer("grpc-bot", server.port())) {
            bot.send(ClientMessage.newBuilder()
                             .setHello(Hello.newBuilder().setToken(AuthTest.token("grpc-bot"))).build());
            bot.next(ServerMessage.PayloadCase.WELCOME);
            bot.join("mixed");
            Thread answering = Thread.ofVirtual().start(() -> answer(bot));
            try {
                run(TESTS, Map.of(), "npm", "ci", "--no-audit", "--no-fund");
                String output = run(TESTS, Map.of("SWITCHBOARD_URL", "http://127.0.0.1:" + server.port(),
                                                  "JWT_SECRET", AuthTest.SECRET),
                                    "node", "--experimental-websocket", "--test", "--test-concurrency=1");
                assertTrue(output.contains("# fail 0"), output);
            } finally {
                answering.interrupt();
            }
        }
    }

    /** The gRPC peer: answers each offer, returns each candidate, and keeps its session alive meanwhile. */
    private static void answer(GrpcPeer bot) {
        while (!Thread.currentThread().isInterrupted()) {
            ServerMessage message = bot.poll(Duration.ofMillis(500));
            if (message == null) {
                bot.send(Messages.ping(System.currentTimeMillis()).build());
            } else if (message.hasOffer()) {
                bot.sendNumbered(Messages.answer("mixed", message.getOffer().getFromUserId(),
                                                 "answer to: " + message.getOffer().getSdp()));
            } else if (message.hasIceCandidate()) {
                bot.sendNumbered(Messages.candidate("mixed", message.getIceCandidate().getFromUserId(),
                                                    message.getIceCandidate().getCandidate()));
            }
        }
    }

    private static String run(Path directory, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(directory.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                        .forEach(lines::add);
            } catch (IOException e) {
                lines.add("(output lost: " + e + ")");
            }
        });
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        reader.join();
        String output = String.join("\n", lines);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }
}
