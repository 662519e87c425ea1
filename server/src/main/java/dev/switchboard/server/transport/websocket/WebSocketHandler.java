package dev.switchboard.server.transport.websocket;

/**
 * What one WebSocket connection carries: an endpoint's side of it. Called on the connection's reader thread, one
 * call at a time; {@link #closed} exactly once, last.
 */
public interface WebSocketHandler {
    /**
     * The upgrade is done and the connection is ready to write to.
     *
     * @param channel the connection's writing side
     */
    void opened(WebSocketChannel channel);

    /**
     * A whole message (a frame, or its fragments joined). The slice is valid during the call only.
     *
     * @param bytes  holds the payload
     * @param offset where it starts
     * @param length its length
     * @param binary a binary message; else text (UTF-8, not yet validated)
     */
    void message(byte[] bytes, int offset, int length, boolean binary);

    /**
     * A message longer than the endpoint's limit began; nothing more is read from the connection.
     */
    void tooLarge();

    /**
     * The connection is gone: closed by either side, broken, or a protocol error.
     */
    void closed();
}
