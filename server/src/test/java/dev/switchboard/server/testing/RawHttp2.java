package dev.switchboard.server.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import dev.switchboard.testkit.Peer;

/**
 * An HTTP/2 client that writes frames by hand (RFC 9113), as a hostile client does: prior knowledge, or through
 * an h2c upgrade from HTTP/1.1 (RFC 7540 3.2), with gRPC message prefixes that lie about their length or
 * compression. It encodes header blocks with HPACK's static table and plain literals (no Huffman coding, no
 * dynamic table), and reads the server's frames without decoding header blocks.
 */
public final class RawHttp2 implements AutoCloseable {
    /** Frame types. */
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    /** RST_STREAM codes. */
    public static final int PROTOCOL_ERROR = 0x1;
    public static final int REFUSED_STREAM = 0x7;
    public static final int ENHANCE_YOUR_CALM = 0xb;

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String CONNECT = "/switchboard.signaling.v1.SignalingService/Connect";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int port;

    private RawHttp2(int port, boolean upgrade) throws IOException {
        this.port = port;
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) Peer.TIMEOUT.toMillis());
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = socket.getOutputStream();
        if (upgrade) {
            byte[] settings = new byte[0];
            out.write(("GET /upgrade HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                       + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: "
                       + Base64.getUrlEncoder().withoutPadding().encodeToString(settings) + "\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
            String head = readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("h2c upgrade refused: " + head);
            }
        }
        out.write(PREFACE);
        frame(SETTINGS, 0, 0, new byte[0]);
    }

    /**
     * @param port server port on 127.0.0.1
     * @return a connection that speaks HTTP/2 from its first byte
     * @throws IOException when it cannot connect
     */
    public static RawHttp2 priorKnowledge(int port) throws IOException {
        return new RawHttp2(port, false);
    }

    /**
     * @param port server port on 127.0.0.1
     * @return a connection upgraded from HTTP/1.1 with {@code Upgrade: h2c}
     * @throws IOException when the upgrade is refused
     */
    public static RawHttp2 upgraded(int port) throws IOException {
        return new RawHttp2(port, true);
    }

    /**
     * Opens a {@code SignalingService.Connect} call.
     *
     * @param stream an odd stream id, higher than the last
     * @throws IOException when the connection is gone
     */
    public void openConnect(int stream) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x83);                          // :method POST, from the static table
        block.write(0x86);                          // :scheme http
        block.write(0x04);                          // :path (static name 4), literal value, not indexed
        literal(block, CONNECT);
        block.write(0x01);                          // :authority (static name 1)
        literal(block, "127.0.0.1:" + port);
        block.write(0x0F);                          // content-type (static name 31 = 15 + 16)
        block.write(0x10);
        literal(block, "application/grpc");
        block.write(0x00);                          // te: a new name, literal value, not indexed
        literal(block, "te");
        literal(block, "trailers");
        frame(HEADERS, 0x4, stream, block.toByteArray());    // END_HEADERS
    }

    /**
     * Sends a gRPC message prefix (compression flag, declared length) and the bytes that follow it.
     *
     * @param stream         the call's stream
     * @param compressed     the prefix's compression flag
     * @param declaredLength the length the prefix declares
     * @param body           what actually follows
     * @throws IOException when the connection is gone
     */
    public void sendMessage(int stream, int compressed, long declaredLength, byte[] body) throws IOException {
        byte[] data = new byte[5 + body.length];
        data[0] = (byte) compressed;
        for (int i = 0; i < 4; i++) {
            data[1 + i] = (byte) (declaredLength >>> (24 - 8 * i));
        }
        System.arraycopy(body, 0, data, 5, body.length);
        frame(DATA, 0, stream, data);
    }

    /**
     * Writes one frame.
     *
     * @throws IOException when the connection is gone
     */
    public void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] header = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                         (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16),
                         (byte) (stream >>> 8), (byte) stream};
        out.write(header);
        out.write(payload);
        out.flush();
    }

    /**
     * The next frame from the server; SETTINGS are acknowledged on the way.
     *
     * @return it
     * @throws IOException when the connection ends first
     */
    public Frame next() throws IOException {
        int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7FFFFFFF;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == SETTINGS && (flags & 0x1) == 0) {
            frame(SETTINGS, 0x1, 0, new byte[0]);
        }
        return new Frame(type, flags, stream, payload);
    }

    /**
     * Reads frames until one of the type arrives on the stream.
     *
     * @return it
     * @throws IOException when the connection ends first
     */
    public Frame next(int type, int stream) throws IOException {
        while (true) {
            Frame frame = next();
            if (frame.type() == type && frame.stream() == stream) {
                return frame;
            }
        }
    }

    /**
     * Reads frames until one of the type arrives on the stream, or {@code wait} passes without a frame starting.
     *
     * @return it, or empty when none came in time
     * @throws IOException when the connection ends first
     */
    public Optional<Frame> next(int type, int stream, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (frameStartsWithin(deadline - System.nanoTime())) {
            Frame frame = next();
            if (frame.type() == type && frame.stream() == stream) {
                return Optional.of(frame);
            }
        }
        return Optional.empty();
    }

    /** Waits for a frame's first byte without taking it, so that a timeout never splits a frame. */
    private boolean frameStartsWithin(long nanos) throws IOException {
        if (nanos <= 0) {
            return false;
        }
        socket.setSoTimeout((int) Math.max(1, nanos / 1_000_000));
        in.mark(1);
        try {
            if (in.read() < 0) {
                throw new IOException("the server closed the connection");
            }
            in.reset();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout((int) Peer.TIMEOUT.toMillis());
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void literal(ByteArrayOutputStream block, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= 127) {
            throw new IllegalArgumentException("too long for this encoder: " + text);
        }
        block.write(bytes.length);
        block.write(bytes, 0, bytes.length);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * A frame from the server.
     *
     * @param type    its type
     * @param flags   its flags
     * @param stream  its stream
     * @param payload its payload
     */
    public record Frame(int type, int flags, int stream, byte[] payload) {
        /**
         * @return a RST_STREAM's or GOAWAY's error code
         */
        public int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xFF) << 24) | ((payload[at + 1] & 0xFF) << 16) | ((payload[at + 2] & 0xFF) << 8)
                    | (payload[at + 3] & 0xFF);
        }
    }
}
