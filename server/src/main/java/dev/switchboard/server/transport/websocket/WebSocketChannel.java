package dev.switchboard.server.transport.websocket;

/**
 * The writing side of one WebSocket connection, and its state as the heartbeat sees it. Thread-safe: each
 * {@link #send} is one socket write, so frames sent by different threads never interleave.
 */
public interface WebSocketChannel {
    /**
     * Writes encoded frames with one socket write; blocks while the socket's buffer is full.
     *
     * @param frames encoded server frames
     * @param length how many bytes of {@code frames} to write
     * @throws java.io.UncheckedIOException when the connection is broken
     */
    void send(byte[] frames, int length);

    /**
     * Ends the connection now: the reader stops and the socket closes.
     */
    void close();

    /**
     * Ends the connection after the server's close frame was sent: the reader reads on, discarding, until the client
     * closes its side or a short deadline passes, so that the client reads the close frame (a socket closed with
     * unread input is reset, and the client may then never see why it was closed).
     */
    void closeAfterCloseFrame();

    /**
     * @return when the client last sent anything, as a {@link System#nanoTime()} reading
     */
    long lastReadNanos();
}
