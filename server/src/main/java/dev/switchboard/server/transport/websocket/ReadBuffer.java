package dev.switchboard.server.transport.websocket;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.HelidonSocket;

/**
 * The array one connection reads its socket into, kept from read to read (Helidon's {@code HelidonSocket.get()}
 * copies every read into a fresh array: at a hundred thousand reads a second that is most of the garbage a relay
 * makes). It is small while the connection is quiet, so that thousands of idle connections hold little, and larger
 * while reads fill it. Used by the connection's reader thread only.
 */
final class ReadBuffer {
    static final int SMALL = 512;
    static final int LARGE = 16 * 1024;
    /** Reads that use under a quarter of a large buffer before it shrinks back. */
    private static final int QUIET_READS = 64;

    private byte[] next = new byte[SMALL];
    private BufferData view = BufferData.create(next);
    private byte[] last = next;
    private int quiet;

    /**
     * Reads what the socket has (blocking until it has something) into {@link #bytes()}, from its start.
     *
     * @param socket the connection's socket
     * @return how many bytes were read; -1 at the end of the stream
     */
    int readFrom(HelidonSocket socket) {
        last = next;
        view.reset();
        int read = socket.read(view);
        if (read == last.length && last.length < LARGE) {
            resize(LARGE);      // for the next read: this one's bytes stay in {@link #bytes()} until fed
        } else if (last.length > SMALL && read < last.length / 4 && ++quiet >= QUIET_READS) {
            resize(SMALL);
        } else if (read >= last.length / 4) {
            quiet = 0;
        }
        return read;
    }

    /**
     * @return the array the last read went into, from index 0; valid until the next read
     */
    byte[] bytes() {
        return last;
    }

    private void resize(int size) {
        next = new byte[size];
        view = BufferData.create(next);
        quiet = 0;
    }
}
