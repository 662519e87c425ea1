package dev.switchboard.server.transport.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads the client's frames (RFC 6455 5.2) from the chunks its socket delivers, in place: a frame that lies
 * within one chunk is unmasked where it lies, eight bytes at a time, and handed on as a slice of that chunk; only
 * a frame split across chunks, or a message split across frames, is copied. Confined to the connection's reader
 * thread.
 * <p>
 * Every length is checked against the message limit before a byte of the payload is buffered, so a declared
 * length of 2^63 costs nothing. Protocol violations (an unmasked frame, reserved bits, an unknown opcode, a
 * fragmented or oversized control frame, a continuation out of place) end the connection with 1002.
 */
final class FrameReader {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** What the reader finds. */
    interface Listener {
        /** A whole message: one frame, or its fragments joined. The slice is valid during the call only. */
        void message(byte[] bytes, int offset, int length, boolean binary);

        /** A ping, pong or close frame. The slice is valid during the call only. */
        void control(int opcode, byte[] bytes, int offset, int length);

        /** A message grew past the limit; whatever follows is read and dropped until the connection closes. */
        void tooLarge();

        /** The client broke the protocol; nothing more is read. */
        void protocolError(String why);
    }

    private final int maxMessageBytes;
    private final Listener listener;
    /** Bytes of an incomplete frame carried over to the next chunk, or null. */
    private byte[] carry;
    private int carried;
    /** The largest carry array kept once nothing is carried. */
    private static final int KEEP_CARRY = 16 * 1024;
    /** Fragments of an incomplete message, or null; and whether it is binary. */
    private byte[] fragments;
    private int fragmented;
    private boolean fragmentsBinary;
    private boolean stopped;
    private boolean discarding;

    FrameReader(int maxMessageBytes, Listener listener) {
        this.maxMessageBytes = maxMessageBytes;
        this.listener = listener;
    }

    /**
     * @param chunk  bytes as read from the socket; the reader may change them (unmasking in place), and keeps none
     *               of them past the call (what it needs later, it copies)
     * @param length how many bytes of {@code chunk} were read
     * @return false once reading should stop (a protocol error)
     */
    boolean feed(byte[] chunk, int length) {
        if (discarding) {
            return true;    // the connection closes after its MESSAGE_TOO_LARGE; until then, bytes are dropped
        }
        if (stopped) {
            return false;
        }
        byte[] buffer;
        int end;
        if (carried == 0) {
            buffer = chunk;
            end = length;
        } else {
            if (carried + length > carry.length) {
                carry = Arrays.copyOf(carry, Math.max(carry.length * 2, carried + length));
            }
            System.arraycopy(chunk, 0, carry, carried, length);
            carried += length;
            buffer = carry;
            end = carried;
        }
        int position = parse(buffer, 0, end);
        if (discarding || stopped) {
            carry = null;
            carried = 0;
            return !stopped;
        }
        int rest = end - position;
        if (rest == 0) {
            carried = 0;
            if (carry != null && carry.length > KEEP_CARRY) {
                carry = null;   // a large message passed: an idle connection does not hold its size
            }
        } else if (buffer == carry) {
            System.arraycopy(carry, position, carry, 0, rest);
            carried = rest;
        } else {
            // a frame continues in the next read: its start is kept (in the array kept from the last time)
            if (carry == null || carry.length < rest) {
                carry = new byte[Math.max(rest, Math.min(2 * rest, maxMessageBytes + 14))];
            }
            System.arraycopy(chunk, position, carry, 0, rest);
            carried = rest;
        }
        return true;
    }

    /** Handles every whole frame in the buffer; returns where the first incomplete one starts. */
    private int parse(byte[] buffer, int position, int end) {
        while (!stopped && !discarding && end - position >= 2) {
            int b0 = buffer[position] & 0xFF;
            int b1 = buffer[position + 1] & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            if ((b0 & 0x70) != 0) {
                return stop("reserved bits set (no extension was negotiated)");
            }
            if ((b1 & 0x80) == 0) {
                return stop("client frames must be masked");
            }
            int lengthField = b1 & 0x7F;
            int header = 2 + (lengthField == 126 ? 2 : lengthField == 127 ? 8 : 0) + 4;
            if (end - position < header) {
                return position;
            }
            long length = lengthField < 126 ? lengthField
                    : lengthField == 126 ? ((buffer[position + 2] & 0xFFL) << 8) | (buffer[position + 3] & 0xFFL)
                    : (long) LONGS.get(buffer, position + 2);
            boolean control = opcode >= Frames.CLOSE;
            if (control && (!fin || length > Frames.MAX_CONTROL_PAYLOAD)) {
                return stop("control frames must be whole and at most 125 bytes");
            }
            if (!control && (length < 0 || length + fragmented > maxMessageBytes)) {
                discarding = true;
                carry = null;
                fragments = null;
                listener.tooLarge();
                return end;
            }
            if (end - position < header + length) {
                return position;
            }
            int payload = position + header;
            unmask(buffer, payload, (int) length, position + header - 4);
            position = payload + (int) length;
            frame(opcode, fin, buffer, payload, (int) length);
        }
        return position;
    }

    private void frame(int opcode, boolean fin, byte[] buffer, int offset, int length) {
        switch (opcode) {
            case Frames.TEXT, Frames.BINARY -> {
                if (fragments != null) {
                    stop("a new message began before the last one was finished");
                } else if (fin) {
                    listener.message(buffer, offset, length, opcode == Frames.BINARY);
                } else {
                    fragments = Arrays.copyOfRange(buffer, offset, offset + Math.max(length, 256));
                    fragmented = length;
                    fragmentsBinary = opcode == Frames.BINARY;
                }
            }
            case Frames.CONTINUATION -> {
                if (fragments == null) {
                    stop("a continuation frame without a message to continue");
                    return;
                }
                if (fragmented + length > fragments.length) {
                    fragments = Arrays.copyOf(fragments, Math.max(fragments.length * 2, fragmented + length));
                }
                System.arraycopy(buffer, offset, fragments, fragmented, length);
                fragmented += length;
                if (fin) {
                    byte[] whole = fragments;
                    int wholeLength = fragmented;
                    fragments = null;
                    fragmented = 0;
                    listener.message(whole, 0, wholeLength, fragmentsBinary);
                }
            }
            case Frames.CLOSE, Frames.PING, Frames.PONG -> listener.control(opcode, buffer, offset, length);
            default -> stop("unknown opcode " + opcode);
        }
    }

    private int stop(String why) {
        stopped = true;
        listener.protocolError(why);
        return 0;
    }

    /** XORs the payload with its 4-byte mask, a long at a time. */
    private static void unmask(byte[] buffer, int offset, int length, int maskAt) {
        int mask = ((buffer[maskAt] & 0xFF) << 24) | ((buffer[maskAt + 1] & 0xFF) << 16)
                | ((buffer[maskAt + 2] & 0xFF) << 8) | (buffer[maskAt + 3] & 0xFF);
        long wide = ((long) mask << 32) | (mask & 0xFFFFFFFFL);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            LONGS.set(buffer, offset + i, (long) LONGS.get(buffer, offset + i) ^ wide);
        }
        for (; i < length; i++) {
            buffer[offset + i] ^= (byte) (mask >>> (24 - 8 * (i & 3)));
        }
    }
}
