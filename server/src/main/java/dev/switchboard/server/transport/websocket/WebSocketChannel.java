package dev.switchboard.server.transport.websocket;

/**
 * The writing side of one WebSocket connection, and its state as the heartbeat sees it. Thread-safe: each
 * {@link #send} is one socket write, so frames sent by different threads never interleave.
 */
interface WebSocketChannel {
    /**
     * Writes encoded frames with one socket write; blocks while the socket's buffer is full.
     *
     * @param frames encoded server frames
     * @param length how many bytes of {@code frames} to write
     * @throws java.io.UncheckedIOException when the connection is broken
     */
    void send(byte[] frames, int length);

    /**
     * Stops reading after a close frame was sent: the connection ends.
     */
    void close();

    /**
     * @return when the client last sent anything, as a {@link System#nanoTime()} reading
     */
    long lastReadNanos();
}
