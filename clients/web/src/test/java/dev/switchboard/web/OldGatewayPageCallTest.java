package dev.switchboard.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real WebRTC call between a page written for the old Socket.IO gateway (socket.io-client's browser bundle from
 * npm, plain RTCPeerConnection code and the quick-start guide's snippets: {@code old-gateway/index.html}, served
 * from another origin as the old frontend was) and Switchboard's demo page on its own SDK: the data channel carries
 * messages both ways, and an ICE restart mid-call, requested by the server from the old page through the guide's
 * {@code iceRestartRequired} snippet, completes with a new ICE username fragment.
 */
class OldGatewayPageCallTest {
    private static final Path WEB = Path.of("").toAbsolutePath();

    @Test
    void theOldFrontendCallsASwitchboardSdkPageAndRestartsIceWhenTold() throws Exception {
        try (TestServer server = TestServer.start(Map.of("stun.urls", "", "recovery.backoff", "PT20S"));
             PageServer pages = new PageServer();
             Browser ann = new Browser();
             Browser bob = new Browser()) {
            // bob, on the SDK, is polite (ann sorts first): he waits for the old page's call
            bob.open("http://127.0.0.1:" + server.port() + "/?room=r1&user=bob");
            bob.await("demo.events.some(e => e.startsWith('joined r1'))", "bob in the room");
            ann.open(pages.url() + "?room=r1&user=ann&api=http://127.0.0.1:" + server.port());
            ann.await("legacy.channel?.readyState === 'open'", "the old page's data channel open");
            bob.await("demo.peers.get('ann')?.channel?.readyState === 'open'", "the SDK page's data channel open");
            ann.await("legacy.acks.some(ack => ack.success && ack.sequence === 1)", "offerAck for offer 1");

            ann.eval("legacy.channel.send('hello from the old page')");
            bob.await("demo.messages.some(m => m.from === 'ann' && m.text === 'hello from the old page')",
                      "the old page's message");
            assertEquals(1L, bob.eval("return demo.send('hello from the SDK')"));
            ann.await("legacy.messages.includes('hello from the SDK')", "the SDK page's message");

            String ufragBefore = ufrag(ann);
            bob.eval("demo.client.reportState('r1', 'ann', {connectionState: 'failed', "
                             + "iceConnectionState: 'failed', iceGatheringState: 'complete'})");
            ann.await("legacy.events.includes('iceRestartRequired')", "iceRestartRequired on the old page");
            ann.await("legacy.peerConnection.signalingState === 'stable' && legacy.peerConnection.localDescription"
                              + ".sdp.indexOf('a=ice-ufrag:" + ufragBefore + "') < 0", "the restart negotiated");
            ann.await("legacy.peerConnection.connectionState === 'connected'", "connected again");
            assertNotEquals(ufragBefore, ufrag(ann));
            ann.eval("legacy.channel.send('after the restart')");
            bob.await("demo.messages.some(m => m.text === 'after the restart')", "the message after the restart");
        }
    }

    private static String ufrag(Browser browser) {
        return (String) browser.eval("return legacy.peerConnection.localDescription.sdp"
                                             + ".match(/a=ice-ufrag:(\\S+)/)[1]");
    }

    /** Serves the old page and socket.io-client's browser bundle, as the old frontend's own web server did. */
    private static final class PageServer implements AutoCloseable {
        private final HttpServer http;

        PageServer() throws IOException, InterruptedException {
            Path bundle = WEB.resolve("node_modules/socket.io-client/dist/socket.io.min.js");
            if (!Files.exists(bundle)) {
                // not inheritIO(): this JVM's stdin and stdout are surefire's channel to Maven, and node sets an
                // inherited stdin non-blocking (the fork then fails with "std/in stream corrupted")
                Process npm = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund"))
                        .directory(WEB.toFile()).redirectErrorStream(true).start();
                npm.getOutputStream().close();
                String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0, "npm ci:\n" + output);
            }
            byte[] script = Files.readAllBytes(bundle);
            byte[] page;
            try (InputStream in = OldGatewayPageCallTest.class.getResourceAsStream("/old-gateway/index.html")) {
                page = in.readAllBytes();
            }
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/", exchange -> send(exchange, exchange.getRequestURI().getPath()
                    .endsWith("socket.io.min.js") ? script : page,
                    exchange.getRequestURI().getPath().endsWith(".js") ? "text/javascript" : "text/html"));
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
        }

        private static void send(HttpExchange exchange, byte[] body, String type) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
