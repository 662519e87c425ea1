package dev.switchboard.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.switchboard.server.testing.BackgroundPair;
import dev.switchboard.server.testing.RawGrpcPeer;
import dev.switchboard.server.testing.RawWebSocket;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.Error;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Ping;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import dev.switchboard.testkit.WebSocketPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PONG;
import static dev.switchboard.testkit.Messages.hello;
import static dev.switchboard.testkit.Messages.join;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input gets a typed error, and the session that sent it (and every other) goes on. A background pair
 * keeps relaying throughout each test and must lose nothing.
 */
class MalformedInputTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    @RegisterExtension
    final BackgroundPair background = new BackgroundPair(server);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anythingBeforeHelloGetsHelloRequired(Transport transport) throws Exception {
        try (Peer peer = transport.connect("early", server.port())) {
            peer.send(join("r").setRequestId("too-early").build());
            ServerMessage error = peer.next(ERROR);
            assertEquals(ErrorCode.ERROR_CODE_HELLO_REQUIRED, error.getError().getCode());
            assertEquals("too-early", error.getRequestId());
            assertEquals(0, error.getSequence(), "no session yet, so no session sequence");
            background.relay();
            // the connection is still usable: hello now works
            assertEquals("early-" + transport, peer.hello("early-" + transport).getWelcome().getUserId());
        }
    }

    @Test
    void malformedJsonGetsInvalidMessageAndTheSessionGoesOn() {
        try (WebSocketPeer peer = new WebSocketPeer("json", server.port(), false)) {
            peer.hello("json-breaker");
            for (String frame : new String[] {
                    "{not json",
                    "[1,2,3]",
                    "{\"offer\": {\"roomId\": 42, \"sdp\": {}}}",
                    "{\"sequence\": \"minus one\"}",
                    "{\"hello\": {\"userId\": \"x\"}, \"join\": {\"roomId\": \"r\"}}",
                    ""}) {
                peer.sendText(frame);
                Error error = peer.next(ERROR).getError();
                assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, error.getCode(), frame);
                assertFalse(error.getFatal());
                background.relay();
            }
            assertSessionAlive(peer);
        }
    }

    @Test
    void unknownJsonFieldsAreIgnored() {
        try (WebSocketPeer peer = new WebSocketPeer("future", server.port(), false)) {
            peer.sendText("{\"hello\":{\"userId\":\"future-client\",\"someNewField\":true},\"futureEnvelopeField\":1}");
            assertEquals("future-client", peer.next(ServerMessage.PayloadCase.WELCOME).getWelcome().getUserId());
        }
    }

    @Test
    void truncatedProtobufOverWebSocketGetsInvalidMessage() {
        try (WebSocketPeer peer = new WebSocketPeer("binary", server.port(), true)) {
            peer.hello("binary-breaker");
            byte[] whole = offer("r", "someone", sdp("u", "truncated")).build().toByteArray();
            peer.sendBinary(Arrays.copyOf(whole, whole.length / 2));
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, peer.next(ERROR).getError().getCode());
            peer.sendBinary(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01});
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, peer.next(ERROR).getError().getCode());
            background.relay();
            assertSessionAlive(peer);
        }
    }

    @Test
    void truncatedProtobufOverGrpcGetsInvalidMessage() throws Exception {
        try (RawGrpcPeer peer = new RawGrpcPeer(server.port())) {
            peer.hello("grpc-breaker");
            byte[] whole = offer("r", "someone", sdp("u", "truncated")).build().toByteArray();
            peer.sendBytes(Arrays.copyOf(whole, whole.length - 7));
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, peer.next(ERROR).getError().getCode());
            background.relay();
            assertSessionAlive(peer);
            assertFalse(peer.isClosed());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSecondHelloOrAnEmptyMessageIsInvalid(Transport transport) throws Exception {
        try (Peer peer = transport.connect("twice", server.port())) {
            peer.hello("twice-" + transport);
            peer.send(hello("someone-else").build());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, peer.next(ERROR).getError().getCode());
            peer.send(ClientMessage.newBuilder().setSequence(9).build());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, peer.next(ERROR).getError().getCode());
            assertSessionAlive(peer);
        }
    }

    @Test
    void helloWithoutAUserIdIsInvalid() {
        try (WebSocketPeer peer = new WebSocketPeer("nobody", server.port(), false)) {
            peer.send(hello("").build());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, peer.next(ERROR).getError().getCode());
            assertEquals("somebody", peer.hello("somebody").getWelcome().getUserId());
        }
    }

    private static void assertSessionAlive(Peer peer) {
        peer.send(ClientMessage.newBuilder().setPing(Ping.newBuilder().setClientTimeMs(1234)).build());
        ServerMessage pong = peer.next(PONG);
        assertEquals(1234, pong.getPong().getClientTimeMs());
        assertTrue(pong.getPong().getServerTimeMs() > 0);
    }

    /**
     * Helidon decodes a text frame that is not UTF-8 with U+FFFD in place of the bad bytes (RFC 6455 would have
     * the connection closed with 1007); what results can never pass as an id, so it is refused like any bad id.
     */
    @Test
    void aTextFrameThatIsNotUtf8IsRefusedAndTheSessionGoesOn() throws Exception {
        try (RawWebSocket raw = new RawWebSocket(server.port())) {
            raw.send(1, "{\"hello\":{\"userId\":\"raw-utf8\"}}".getBytes(StandardCharsets.UTF_8));
            assertTrue(raw.next().text().contains("welcome"));
            ByteArrayOutputStream join = new ByteArrayOutputStream();
            join.writeBytes("{\"join\":{\"roomId\":\"r".getBytes(StandardCharsets.UTF_8));
            join.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
            join.writeBytes("\"}}".getBytes(StandardCharsets.UTF_8));
            raw.send(1, join.toByteArray());
            String refused = raw.next().text();
            assertTrue(refused.contains("ERROR_CODE_INVALID_MESSAGE"), refused);
            background.relay();
            raw.send(1, "{\"join\":{\"roomId\":\"utf8-room\"}}".getBytes(StandardCharsets.UTF_8));
            assertTrue(raw.next().text().contains("roomJoined"), "the session goes on");
        }
    }
}
