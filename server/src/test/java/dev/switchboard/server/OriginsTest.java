package dev.switchboard.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Map;
import java.util.concurrent.CompletionException;

import dev.switchboard.server.testing.TestServer;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.WebSocketPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code security.allowed-origins}: a page elsewhere cannot open a signaling WebSocket (cross-site WebSocket
 * hijacking) nor read the REST endpoints; allowed pages and non-browser clients (no Origin) can.
 */
class OriginsTest {
    private static final String APP = "https://app.example.com";

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("security.allowed-origins", APP));

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anAllowedPageAndANativeClientConnectAndAnotherPageCannot() {
        try (Peer page = new WebSocketPeer("app", server.port(), false, "", Map.of("Origin", APP));
             Peer app = new WebSocketPeer("native", server.port(), true)) {
            assertEquals("from-app", page.hello("from-app").getWelcome().getUserId());
            assertEquals("native", app.hello("native").getWelcome().getUserId());
        }
        AssertionError refused = assertThrows(AssertionError.class, () -> new WebSocketPeer(
                "evil", server.port(), false, "", Map.of("Origin", "https://evil.example")));
        assertTrue(refused.getMessage().contains("cannot connect"), refused.getMessage());
    }

    @Test
    void theRestEndpointsAnswerCorsForAllowedPagesOnly() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/webrtc/ice-servers");
        HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(uri).header("Origin", APP).build(),
                                                 BodyHandlers.ofString());
        assertEquals(200, allowed.statusCode());
        assertEquals(APP, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(uri)
                                                           .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                                           .header("Origin", APP)
                                                           .header("Access-Control-Request-Method", "GET")
                                                           .header("Access-Control-Request-Headers", "Authorization")
                                                           .build(), BodyHandlers.ofString());
        assertEquals(200, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("")
                           .toLowerCase().contains("authorization"), preflight.headers().map().toString());

        HttpResponse<String> elsewhere = HTTP.send(HttpRequest.newBuilder(uri)
                                                           .header("Origin", "https://evil.example").build(),
                                                   BodyHandlers.ofString());
        assertTrue(elsewhere.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                   "a browser must not let another page read the answer");
        assertEquals(403, elsewhere.statusCode());
    }

    @Test
    void anAllowedPageMayImportTheBrowserSdk() throws Exception {
        URI sdk = URI.create("http://127.0.0.1:" + server.port() + "/client/switchboard.js");
        HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(sdk).header("Origin", APP).build(),
                                                 BodyHandlers.ofString());
        assertEquals(200, allowed.statusCode());
        assertEquals(APP, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(allowed.body().contains("export class SwitchboardClient"));

        HttpResponse<String> elsewhere = HTTP.send(HttpRequest.newBuilder(sdk)
                                                           .header("Origin", "https://evil.example").build(),
                                                   BodyHandlers.ofString());
        assertTrue(elsewhere.headers().firstValue("Access-Control-Allow-Origin").isEmpty());
    }

    @Test
    void theSocketIoTransportTakesAllowedPagesOnly() throws Exception {
        URI handshake = URI.create("http://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=polling");
        HttpResponse<String> allowed = HTTP.send(HttpRequest.newBuilder(handshake).header("Origin", APP).build(),
                                                 BodyHandlers.ofString());
        assertEquals(200, allowed.statusCode());
        assertTrue(allowed.body().startsWith("0{\"sid\""), allowed.body());
        assertEquals(APP, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));

        HttpResponse<String> elsewhere = HTTP.send(HttpRequest.newBuilder(handshake)
                                                           .header("Origin", "https://evil.example").build(),
                                                   BodyHandlers.ofString());
        assertEquals(403, elsewhere.statusCode());

        URI socket = URI.create("ws://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=websocket");
        CompletionException refused = assertThrows(CompletionException.class, () -> HTTP.newWebSocketBuilder()
                .header("Origin", "https://evil.example")
                .buildAsync(socket, new WebSocket.Listener() { }).join());
        assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse()
                .statusCode());
        WebSocket page = HTTP.newWebSocketBuilder().header("Origin", APP)
                .buildAsync(socket, new WebSocket.Listener() { }).join();
        page.abort();
    }
}
