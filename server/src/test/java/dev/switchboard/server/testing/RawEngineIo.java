package dev.switchboard.server.testing;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine.IO and Socket.IO spoken by hand over a {@link RawWebSocket}, for tests that send what socket.io-client
 * never would: the {@code /webrtc} namespace connected, text packets read past the server's pings, and the end of
 * the connection awaited.
 */
public final class RawEngineIo {
    private RawEngineIo() {
    }

    /**
     * Opens an Engine.IO connection over WebSocket and connects it to {@code /webrtc} as a user.
     *
     * @param port server port on 127.0.0.1
     * @param user who to be (auth.mode none)
     * @return the socket, past the CONNECT answer and the {@code connected} event
     * @throws IOException when the connection fails
     */
    public static RawWebSocket connected(int port, String user) throws IOException {
        RawWebSocket socket = new RawWebSocket(port, "/socket.io/?EIO=4&transport=websocket");
        assertTrue(nextText(socket).startsWith("0{\"sid\""));
        send(socket, "40/webrtc,{\"userId\":\"" + user + "\"}");
        assertTrue(nextText(socket).startsWith("40/webrtc,{\"sid\""));
        assertTrue(nextText(socket).startsWith("42/webrtc,[\"connected\""));
        return socket;
    }

    /**
     * @param socket a connection
     * @param packet an Engine.IO packet, sent as one text frame
     * @throws IOException when the connection is gone
     */
    public static void send(RawWebSocket socket, String packet) throws IOException {
        socket.send(1, packet.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param socket a connection
     * @return the next text frame that is not an Engine.IO ping
     * @throws IOException when the connection ends first
     */
    public static String nextText(RawWebSocket socket) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = socket.next();
            if (frame.opcode() == 1 && !frame.text().equals("2")) {
                return frame.text();
            }
        }
    }

    /**
     * Reads until the server ends the connection: a close frame, or the socket's end.
     *
     * @param socket a connection
     * @throws IOException when reading fails otherwise
     */
    public static void assertClosed(RawWebSocket socket) throws IOException {
        try {
            while (socket.next().opcode() != 8) {
                // pings and whatever else was under way, until the close
            }
        } catch (EOFException | SocketException e) {
            // closed without a close frame: closed all the same
        }
    }
}
