package dev.switchboard.server.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.google.protobuf.ByteString;

/**
 * Escapes UTF-8 text as a JSON string's content, exactly as Jackson's generator does by default: {@code "} and
 * {@code \} get a backslash, control characters below 0x20 their short form ({@code \b \t \n \f \r}) or
 * {@code \}{@code u00XX}; a character beyond the Basic Multilingual Plane becomes its escaped surrogate pair (as
 * Jackson writes it from a Java string); everything else, other multi-byte characters included, is copied as it is,
 * in runs. One per writer thread: it keeps its arrays between calls.
 */
public final class JsonEscapes {
    /** Per byte: 0 copied as is, a character for its short escape, or 'u' for a {@code \}{@code u00XX} one. */
    private static final byte[] ESCAPE = new byte[256];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
                                                                                 ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** {@code \r\n} escaped, as one little-endian int. */
    private static final int CRLF = '\\' | 'r' << 8 | '\\' << 16 | 'n' << 24;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** Room kept past the text still to copy: a whole eight-byte write, and the longest escape (12 bytes). */
    private static final int SLACK = 24;

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = 'u';
        }
        ESCAPE['\b'] = 'b';
        ESCAPE['\t'] = 't';
        ESCAPE['\n'] = 'n';
        ESCAPE['\f'] = 'f';
        ESCAPE['\r'] = 'r';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
        for (int lead = 0xF0; lead <= 0xF4; lead++) {
            ESCAPE[lead] = 'S';     // a 4-byte sequence: a character beyond the BMP
        }
    }

    private byte[] text = new byte[0];
    private byte[] escaped = new byte[0];
    private int length;

    /**
     * @param utf8 valid UTF-8 text
     */
    public void escape(ByteString utf8) {
        int size = utf8.size();
        if (text.length < size) {
            text = new byte[size];
        }
        utf8.copyTo(text, 0);
        escape(text, size);
    }

    /**
     * @param utf8  valid UTF-8 text
     * @param count how many bytes of it
     */
    void escape(byte[] utf8, int count) {
        // room for the text as it is and one more escape: checked again before each escape lengthens it
        if (escaped.length < count + SLACK) {
            escaped = new byte[count + count / 8 + SLACK];
        }
        int out = 0;
        int i = 0;
        while (i < count) {
            // eight bytes at a time, written out whole, up to the first that needs a look (an SDP's: its line
            // ends); what follows that one in the eight is written again after it, so no run is copied twice
            if (i + Long.BYTES <= count) {
                long eight = (long) LONGS.get(utf8, i);
                LONGS.set(escaped, out, eight);
                long look = needsLook(eight);
                if (look == 0) {
                    i += Long.BYTES;
                    out += Long.BYTES;
                    continue;
                }
                int plain = Long.numberOfTrailingZeros(look) >>> 3;
                i += plain;
                out += plain;
            }
            byte escape = ESCAPE[utf8[i] & 0xFF];
            if (escape == 0) {
                escaped[out++] = utf8[i++];     // a byte of a multi-byte character, or the last few bytes
                continue;
            }
            if (escaped.length - out < count - i + SLACK) {
                escaped = Arrays.copyOf(escaped, Math.max(escaped.length * 2, out + count - i + SLACK));
            }
            if (escape == 'r' && i + 1 < count && utf8[i + 1] == '\n') {
                INTS.set(escaped, out, CRLF);   // an SDP's line end, one write for its four bytes
                out += 4;
                i += 2;
                continue;
            }
            if (escape == 'S') {
                int codePoint = ((utf8[i] & 0x07) << 18) | ((utf8[i + 1] & 0x3F) << 12) | ((utf8[i + 2] & 0x3F) << 6)
                        | (utf8[i + 3] & 0x3F);
                out = unicode(Character.highSurrogate(codePoint), out);
                out = unicode(Character.lowSurrogate(codePoint), out);
                i += 4;
                continue;
            }
            escaped[out++] = '\\';
            if (escape == 'u') {
                escaped[out++] = 'u';
                escaped[out++] = '0';
                escaped[out++] = '0';
                escaped[out++] = HEX[(utf8[i] >> 4) & 0xF];
                escaped[out++] = HEX[utf8[i] & 0xF];
            } else {
                escaped[out++] = escape;
            }
            i++;
        }
        length = out;
    }

    /**
     * Which of eight bytes (little-endian: the first in the text is the lowest) need a look: the top bit of each byte
     * that is not ASCII (a multi-byte character starts or continues there), a control character, a quote or a
     * backslash. The usual bit tricks: a byte below n sets its top bit in {@code x - n} where it was clear in
     * {@code x}; a byte equal to c is zero in {@code x ^ c}. A borrow can mark a byte above a marked one as well, but
     * never one below it: the lowest mark is always exact, and it is the only one used.
     */
    private static long needsLook(long x) {
        long below = (x - 0x2020202020202020L) & ~x;
        long quote = x ^ 0x2222222222222222L;
        long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
        long zeros = ((quote - 0x0101010101010101L) & ~quote) | ((backslash - 0x0101010101010101L) & ~backslash);
        return (below | zeros | x) & 0x8080808080808080L;
    }

    /** Writes {@code \}{@code uXXXX}; returns the position after it. */
    private int unicode(char c, int out) {
        escaped[out++] = '\\';
        escaped[out++] = 'u';
        escaped[out++] = HEX[(c >> 12) & 0xF];
        escaped[out++] = HEX[(c >> 8) & 0xF];
        escaped[out++] = HEX[(c >> 4) & 0xF];
        escaped[out++] = HEX[c & 0xF];
        return out;
    }

    /**
     * @return the escaped text of the last call, in {@code [0, length())}
     */
    public byte[] bytes() {
        return escaped;
    }

    /**
     * @return how many bytes of {@link #bytes()} the last call wrote
     */
    public int length() {
        return length;
    }
}
