package dev.switchboard.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import dev.switchboard.testkit.Peer;

/**
 * A WebSocket client that writes frames byte by byte, for input no well-behaved client library would send
 * (a text frame that is not UTF-8, a lying length). It reads the server's frames as they come.
 */
public final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /**
     * Connects to {@code /signaling} and completes the upgrade.
     *
     * @param port server port on 127.0.0.1
     * @throws IOException when the upgrade fails
     */
    public RawWebSocket(int port) throws IOException {
        this(port, "/signaling");
    }

    /**
     * Connects to a WebSocket endpoint and completes the upgrade.
     *
     * @param port   server port on 127.0.0.1
     * @param target the request target: path and query
     * @throws IOException when the upgrade fails
     */
    public RawWebSocket(int port, String target) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) Peer.TIMEOUT.toMillis());
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                   + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                   + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String response = readHead();
        if (!response.startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + response);
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /**
     * Sends one complete, masked frame.
     *
     * @param opcode  1 text, 2 binary
     * @param payload its bytes, whatever they are
     * @throws IOException when the connection is gone
     */
    public void send(int opcode, byte[] payload) throws IOException {
        sendRaw(frame(0x80 | opcode, payload, true));
    }

    /**
     * Writes bytes as they are, whatever they are (frames built by hand, one byte at a time, several at once).
     *
     * @param bytes the bytes
     * @throws IOException when the connection is gone
     */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Builds a client frame: FIN and RSV bits, opcode, payload length as the protocol encodes it, and the payload
     * masked (or not).
     *
     * @param firstByte FIN (0x80), RSV bits and opcode
     * @param payload   the payload
     * @param masked    whether to mask it, as clients must
     * @return the frame's bytes
     */
    public static byte[] frame(int firstByte, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(firstByte);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        if (masked) {
            ThreadLocalRandom.current().nextBytes(mask);
            frame.write(mask, 0, 4);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /**
     * The next frame from the server.
     *
     * @return its opcode and payload
     * @throws IOException when the connection ends first
     */
    public Frame next() throws IOException {
        int first = in.readUnsignedByte();
        int length = in.readUnsignedByte() & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = (int) in.readLong();
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * A frame from the server.
     *
     * @param opcode  1 text, 2 binary, 8 close, 9 ping, 10 pong
     * @param payload its bytes
     */
    public record Frame(int opcode, byte[] payload) {
        /**
         * @return the payload as text
         */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /**
         * @return a close frame's status code
         */
        public int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }
}
