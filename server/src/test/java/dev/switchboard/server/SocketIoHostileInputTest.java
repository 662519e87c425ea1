package dev.switchboard.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.switchboard.server.testing.BackgroundPair;
import dev.switchboard.server.testing.RawEngineIo;
import dev.switchboard.server.testing.RawWebSocket;
import dev.switchboard.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input on the Socket.IO transport, each with its documented answer (README, "Coming from the Socket.IO
 * gateway"), while a pair of peers on {@code /signaling} relays throughout and must lose nothing: a packet that
 * breaks the grammar or an unknown Engine.IO type closes that connection; binary attachments, bad events and
 * floods get {@code error} events and the session goes on; a payload over {@code maxPayload} closes it (413 on
 * polling); handshakes past the per-address bound get 503.
 */
class SocketIoHostileInputTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("limits.pending-connections-per-address", "8",
                                                               "limits.rate", "20", "limits.burst", "40"));
    @RegisterExtension
    final BackgroundPair background = new BackgroundPair(server);

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPacketThatBreaksTheGrammarClosesItsConnectionOnly() throws Exception {
        for (String packet : List.of("4x", "7", "", "49/webrtc,[]", "44/webrtc,{}")) {
            try (RawWebSocket socket = RawEngineIo.connected(server.port(), "grammar")) {
                socket.send(1, text(packet));
                RawEngineIo.assertClosed(socket);
            }
            background.relay();
        }
    }

    @Test
    void binaryAttachmentsAreRefusedWithAnErrorAndTheSessionGoesOn() throws Exception {
        try (RawWebSocket socket = RawEngineIo.connected(server.port(), "binary")) {
            socket.send(1, text("451-/webrtc,[\"offer\",{\"_placeholder\":true,\"num\":0}]"));
            socket.send(2, new byte[]{1, 2, 3});
            assertTrue(RawEngineIo.nextText(socket).matches("42/webrtc,\\[\"error\",\\{\"code\":\"BAD_REQUEST\".*binary.*"));
            socket.send(1, text("42/webrtc,[\"joinRoom\",{\"roomId\":\"after-binary\"}]"));
            assertTrue(RawEngineIo.nextText(socket).startsWith("42/webrtc,[\"joinedRoom\""));
        }
    }

    @Test
    void badEventsGetBadRequestAndTheSessionGoesOn() throws Exception {
        try (RawWebSocket socket = RawEngineIo.connected(server.port(), "events")) {
            for (String event : List.of("[\"offer\"]", "{\"not\":\"an array\"}", "[1,2]", "[\"joinRoom\",[]]",
                                        "[\"iceCandidate\",{\"roomId\":\"r\",\"targetUserId\":\"t\"}]",
                                        "[\"connectionStateUpdate\",{\"roomId\":\"r\",\"targetUserId\":\"t\","
                                                + "\"connectionState\":\"exploded\"}]",
                                        "[\"offer\",{\"sequence\":1e999}]", "[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]",
                                        "not json")) {
                socket.send(1, text("42/webrtc," + event));
                assertTrue(RawEngineIo.nextText(socket).startsWith("42/webrtc,[\"error\",{\"code\":\"BAD_REQUEST\""), event);
            }
            socket.send(1, text("42/webrtc,[\"joinRoom\",{\"roomId\":\"after-events\"}]"));
            assertTrue(RawEngineIo.nextText(socket).startsWith("42/webrtc,[\"joinedRoom\""));
        }
    }

    @Test
    void aFloodOfEventsIsRateLimitedAndAFloodOfConnectsIsRefusedOneByOne() throws Exception {
        try (RawWebSocket socket = RawEngineIo.connected(server.port(), "flood")) {
            for (int i = 0; i < 200; i++) {
                socket.send(1, text("42/webrtc,[\"toggleAudio\",{\"roomId\":\"nowhere\",\"enabled\":true}]"));
                socket.send(1, text("40/nowhere-" + i + ","));
            }
            List<String> answers = new ArrayList<>();
            while (answers.size() < 400) {
                answers.add(RawEngineIo.nextText(socket));
            }
            assertEquals(200, answers.stream().filter(a -> a.startsWith("44/nowhere-")).count());
            assertTrue(answers.stream().anyMatch(a -> a.contains("\"RATE_LIMITED\"")), "rate limited");
            assertTrue(answers.stream().anyMatch(a -> a.contains("\"NOT_FOUND\"")), "not in room");
        }
    }

    @Test
    void aPayloadOverMaxPayloadClosesTheConnection() throws Exception {
        try (RawWebSocket socket = RawEngineIo.connected(server.port(), "large")) {
            socket.send(1, text("42/webrtc,[\"offer\",{\"sdp\":\"" + "x".repeat(70_000) + "\"}]"));
            assertTrue(RawEngineIo.nextText(socket).contains("ERROR_CODE_MESSAGE_TOO_LARGE"));
            RawEngineIo.assertClosed(socket);
        }
        String sid = handshake();
        HttpResponse<String> tooLarge = http.send(
                HttpRequest.newBuilder(poll(sid)).POST(HttpRequest.BodyPublishers.ofString("4" + "x".repeat(70_000)))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, tooLarge.statusCode());
    }

    @Test
    void pollingRequestsOutsideTheProtocolGetEngineIoErrors() throws Exception {
        HttpResponse<String> unknown = get(URI.create(base() + "&transport=polling&sid=nope"));
        assertEquals(400, unknown.statusCode());
        assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", unknown.body());
        HttpResponse<String> version = get(URI.create("http://127.0.0.1:" + server.port()
                                                              + "/socket.io/?EIO=3&transport=polling"));
        assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", version.body());
        HttpResponse<String> transport = get(URI.create(base() + "&transport=carrier-pigeon"));
        assertEquals("{\"code\":0,\"message\":\"Transport unknown\"}", transport.body());
    }

    @Test
    void handshakesPastThePerAddressBoundAreRefusedUntilOthersGetASession() throws Exception {
        List<String> sids = new ArrayList<>();
        HttpResponse<String> response;
        while ((response = get(URI.create(base() + "&transport=polling"))).statusCode() == 200) {
            sids.add(response.body());
            assertTrue(sids.size() <= 8, "at most limits.pending-connections-per-address handshakes");
        }
        assertEquals(503, response.statusCode());
        assertEquals(8, sids.size());
        String sid = sids.getFirst().substring("0{\"sid\":\"".length(), sids.getFirst().indexOf("\",\""));
        http.send(HttpRequest.newBuilder(poll(sid)).POST(HttpRequest.BodyPublishers.ofString(
                "40/webrtc,{\"userId\":\"settled\"}")).build(), HttpResponse.BodyHandlers.ofString());
        String answers = "";
        while (!answers.contains("connected")) {
            answers += get(poll(sid)).body();
        }
        String another = get(URI.create(base() + "&transport=polling")).body();
        assertTrue(another.startsWith("0{\"sid\""), "one more now: " + another);
        sids.add(another);
        for (String open : sids) {      // an Engine.IO close packet each, so that the next test starts afresh
            http.send(HttpRequest.newBuilder(poll(open.substring("0{\"sid\":\"".length(), open.indexOf("\",\""))))
                              .POST(HttpRequest.BodyPublishers.ofString("1")).build(),
                      HttpResponse.BodyHandlers.ofString());
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.port() + "/socket.io/?EIO=4";
    }

    private URI poll(String sid) {
        return URI.create(base() + "&transport=polling&sid=" + sid);
    }

    private String handshake() throws Exception {
        String open = get(URI.create(base() + "&transport=polling")).body();
        return open.substring("0{\"sid\":\"".length(), open.indexOf("\",\""));
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
