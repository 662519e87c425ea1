package dev.switchboard.server;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.switchboard.server.testing.RawWebSocket;
import dev.switchboard.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A draining server and a Socket.IO client: the client hears {@code goingAway}, then its transport closes after
 * the reconnect hint (socket.io-client then reconnects by itself, elsewhere), and the drain ends well before its
 * timeout instead of cutting the client off at it.
 */
class SocketIoDrainTest {
    @Test
    void aSocketIoClientIsToldAndLetGoSoThatTheDrainEndsEarly() throws Exception {
        try (TestServer server = TestServer.start(Map.of("drain.reconnect-spread", "PT0.2S",
                                                         "drain.timeout", "PT20S"));
             RawWebSocket socket = new RawWebSocket(server.port(), "/socket.io/?EIO=4&transport=websocket")) {
            assertTrue(text(socket).startsWith("0{"));
            socket.send(1, "40/webrtc,{\"userId\":\"drained\"}".getBytes(StandardCharsets.UTF_8));
            assertTrue(text(socket).startsWith("40/webrtc,"));
            assertTrue(text(socket).contains("\"connected\""));

            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> server.switchboard().drain());
            assertTrue(text(socket).startsWith("42/webrtc,[\"goingAway\""));
            assertClosed(socket);
            assertTrue(drained.get(30, TimeUnit.SECONDS), "the client left before drain.timeout cut it off");
        }
    }

    private static String text(RawWebSocket socket) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = socket.next();
            if (frame.opcode() == 1 && !frame.text().equals("2")) {
                return frame.text();
            }
        }
    }

    private static void assertClosed(RawWebSocket socket) throws IOException {
        try {
            while (socket.next().opcode() != 8) {
                // pings, until the close
            }
        } catch (EOFException | SocketException e) {
            // closed without a close frame: closed all the same
        }
    }
}
