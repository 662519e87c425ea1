package dev.switchboard.server.transport.websocket;

import java.nio.charset.StandardCharsets;

/**
 * WebSocket frame layout (RFC 6455 5.2) as the server writes it: FIN set, no extensions, never masked.
 */
final class Frames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** Control frames carry at most this much (5.5). */
    static final int MAX_CONTROL_PAYLOAD = 125;
    /** The longest header a server frame has: 2 bytes and a 64-bit length. */
    static final int MAX_HEADER = 10;

    private Frames() {
    }

    /**
     * @param payloadLength the payload's length
     * @return the length of a server frame's header for it
     */
    static int headerLength(long payloadLength) {
        return payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    /**
     * Writes a final, unmasked frame header.
     *
     * @return the position after it
     */
    static int writeHeader(byte[] buffer, int position, int opcode, long payloadLength) {
        buffer[position++] = (byte) (0x80 | opcode);
        if (payloadLength < 126) {
            buffer[position++] = (byte) payloadLength;
        } else if (payloadLength <= 0xFFFF) {
            buffer[position++] = 126;
            buffer[position++] = (byte) (payloadLength >>> 8);
            buffer[position++] = (byte) payloadLength;
        } else {
            buffer[position++] = 127;
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[position++] = (byte) (payloadLength >>> shift);
            }
        }
        return position;
    }

    /**
     * @param opcode  a control opcode
     * @param payload its payload, at most {@value #MAX_CONTROL_PAYLOAD} bytes
     * @return the whole frame
     */
    static byte[] control(int opcode, byte[] payload, int offset, int length) {
        byte[] frame = new byte[2 + length];
        int position = writeHeader(frame, 0, opcode, length);
        System.arraycopy(payload, offset, frame, position, length);
        return frame;
    }

    /**
     * @param code   the close code
     * @param reason a short reason
     * @return a close frame
     */
    static byte[] close(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, MAX_CONTROL_PAYLOAD - 2);
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, length);
        return control(CLOSE, payload, 0, payload.length);
    }
}
