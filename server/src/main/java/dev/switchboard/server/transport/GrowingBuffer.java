package dev.switchboard.server.transport;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * Bytes a connection's writer encodes and has not sent yet, in one array that grows as needed and shrinks back
 * after a large batch, so that an idle connection holds little. Confined to the writer's thread. Subclasses say
 * what the bytes are (WebSocket frames, Engine.IO packets).
 */
public abstract class GrowingBuffer extends OutputStream {
    private static final int INITIAL = 2048;
    private static final int KEEP = 64 * 1024;

    /** The bytes, from index 0 to {@link #length}. */
    protected byte[] bytes = new byte[0];
    /** How many bytes of {@link #bytes} are written. */
    protected int length;

    /**
     * @return the bytes written, from index 0 to {@link #length()}
     */
    public byte[] array() {
        return bytes;
    }

    /**
     * @return how many bytes of {@link #array()} are written
     */
    public int length() {
        return length;
    }

    /** Forgets what was written; lets go of a large array. */
    protected void reset() {
        length = 0;
        if (bytes.length > KEEP) {
            bytes = new byte[INITIAL];
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int offset, int count) {
        ensure(count);
        System.arraycopy(b, offset, bytes, length, count);
        length += count;
    }

    /**
     * @param more bytes about to be written
     */
    protected void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(Math.max(INITIAL, bytes.length * 2), length + more));
        }
    }
}
