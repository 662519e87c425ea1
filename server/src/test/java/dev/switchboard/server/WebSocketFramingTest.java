package dev.switchboard.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.switchboard.server.testing.BackgroundPair;
import dev.switchboard.server.testing.RawWebSocket;
import dev.switchboard.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's own WebSocket framing (RFC 6455), which replaces Helidon's on {@code /signaling}: frames read
 * however TCP splits or joins them, fragments joined, control frames answered in between, and every protocol
 * violation closed with 1002 before it costs anything. A background pair relays throughout.
 */
class WebSocketFramingTest {
    private static final byte[] HELLO = "{\"hello\":{\"userId\":\"framed\"}}".getBytes(StandardCharsets.UTF_8);
    private static final int FIN = 0x80;
    private static final int TEXT = 0x1;
    private static final int PING = 0x9;

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("limits.max-message-bytes", "8192"));
    @RegisterExtension
    final BackgroundPair background = new BackgroundPair(server);

    @Test
    void aFrameArrivingOneByteAtATimeIsRead() throws IOException {
        try (RawWebSocket socket = new RawWebSocket(server.port())) {
            for (byte b : RawWebSocket.frame(FIN | TEXT, HELLO, true)) {
                socket.sendRaw(new byte[] {b});
            }
            assertTrue(socket.next().text().contains("\"welcome\""));
        }
    }

    @Test
    void manyFramesInOneWriteAreEachRead() throws IOException {
        try (RawWebSocket socket = new RawWebSocket(server.port())) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            burst.writeBytes(RawWebSocket.frame(FIN | TEXT, HELLO, true));
            for (int i = 1; i <= 20; i++) {
                burst.writeBytes(RawWebSocket.frame(FIN | TEXT, ("{\"ping\":{\"clientTimeMs\":\"" + i + "\"}}")
                        .getBytes(StandardCharsets.UTF_8), true));
            }
            socket.sendRaw(burst.toByteArray());
            assertTrue(socket.next().text().contains("\"welcome\""));
            for (int i = 1; i <= 20; i++) {
                assertTrue(socket.next().text().contains("\"clientTimeMs\":\"" + i + "\""));
            }
        }
    }

    @Test
    void aFragmentedMessageIsJoinedAndAPingBetweenItsFragmentsIsAnswered() throws IOException {
        try (RawWebSocket socket = new RawWebSocket(server.port())) {
            byte[] ping = "are you there".getBytes(StandardCharsets.US_ASCII);
            socket.sendRaw(RawWebSocket.frame(TEXT, slice(HELLO, 0, 5), true));
            socket.sendRaw(RawWebSocket.frame(FIN | PING, ping, true));
            socket.sendRaw(RawWebSocket.frame(0x0, slice(HELLO, 5, 12), true));
            socket.sendRaw(RawWebSocket.frame(FIN, slice(HELLO, 12, HELLO.length), true));
            RawWebSocket.Frame pong = socket.next();
            assertEquals(0xA, pong.opcode());
            assertArrayEquals(ping, pong.payload());
            assertTrue(socket.next().text().contains("\"welcome\""));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"unmasked", "reserved bits", "long ping", "fragmented ping", "lone continuation",
            "unknown opcode", "message inside a message"})
    void aProtocolViolationClosesTheConnectionWith1002(String violation) throws IOException {
        try (RawWebSocket socket = new RawWebSocket(server.port())) {
            socket.sendRaw(switch (violation) {
                case "unmasked" -> RawWebSocket.frame(FIN | TEXT, HELLO, false);
                case "reserved bits" -> RawWebSocket.frame(FIN | 0x40 | TEXT, HELLO, true);
                case "long ping" -> RawWebSocket.frame(FIN | PING, new byte[126], true);
                case "fragmented ping" -> RawWebSocket.frame(PING, new byte[4], true);
                case "lone continuation" -> RawWebSocket.frame(FIN, HELLO, true);
                case "unknown opcode" -> RawWebSocket.frame(FIN | 0x3, HELLO, true);
                default -> concat(RawWebSocket.frame(TEXT, slice(HELLO, 0, 5), true),
                                  RawWebSocket.frame(FIN | TEXT, HELLO, true));
            });
            RawWebSocket.Frame close = socket.next();
            assertEquals(0x8, close.opcode());
            assertEquals(1002, close.closeCode(), violation);
        }
        background.relay();
    }

    @Test
    void aDeclaredLengthBeyondTheLimitIsRefusedBeforeAByteIsBuffered() throws IOException {
        try (RawWebSocket socket = new RawWebSocket(server.port())) {
            socket.send(TEXT, HELLO);
            socket.next();
            // a 64-bit length of 2^62, and no payload at all
            socket.sendRaw(new byte[] {(byte) (FIN | TEXT), (byte) (0x80 | 127), 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
            RawWebSocket.Frame error = socket.next();
            assertTrue(error.text().contains("ERROR_CODE_MESSAGE_TOO_LARGE"), error.text());
            RawWebSocket.Frame close = socket.next();
            assertEquals(1009, close.closeCode());
        }
    }

    @Test
    void aCloseFromTheClientIsEchoed() throws IOException {
        try (RawWebSocket socket = new RawWebSocket(server.port())) {
            socket.send(TEXT, HELLO);
            socket.next();
            socket.sendRaw(RawWebSocket.frame(FIN | 0x8, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}, true));
            RawWebSocket.Frame close = socket.next();
            assertEquals(0x8, close.opcode());
            assertEquals(1000, close.closeCode());
        }
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
