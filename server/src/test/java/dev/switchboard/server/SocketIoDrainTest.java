package dev.switchboard.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.switchboard.server.testing.RawEngineIo;
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
             RawWebSocket socket = RawEngineIo.connected(server.port(), "drained")) {

            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> server.switchboard().drain());
            assertTrue(RawEngineIo.nextText(socket).startsWith("42/webrtc,[\"goingAway\""));
            RawEngineIo.assertClosed(socket);
            assertTrue(drained.get(30, TimeUnit.SECONDS), "the client left before drain.timeout cut it off");
        }
    }
}
