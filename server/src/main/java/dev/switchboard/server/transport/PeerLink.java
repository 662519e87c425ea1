package dev.switchboard.server.transport;

import java.util.Optional;

import dev.switchboard.signaling.v1.ServerMessage;

/**
 * One transport connection as the core sees it. Each transport implements it; the core never learns
 * which transport it is talking to beyond {@link #transport()}, a label for logs and metrics.
 */
public interface PeerLink {
    /**
     * Writes one message, or encodes it for the next {@link #flush}. Only the connection's outbox writer
     * calls this, one message at a time and in order, so an implementation needs no locking of its own against
     * other writes. It may block (flow control, a full socket buffer): that stalls only this connection.
     *
     * @param message the message
     * @throws Exception when the connection is broken; the outbox then treats the link as gone
     */
    void write(ServerMessage message) throws Exception;

    /**
     * Sends whatever {@link #write} buffered. The outbox writer calls it after each batch it takes from its queue, so a
     * transport that can put several messages into one socket write does so here.
     *
     * @throws Exception when the connection is broken
     */
    default void flush() throws Exception {
    }

    /**
     * Closes the connection in an orderly way, after the last {@link #write}: a WebSocket close frame, or the
     * end of the gRPC call with a status. Called by the outbox writer.
     *
     * @param cause why the server closes it
     */
    void close(CloseCause cause);

    /**
     * Tears the connection down now, from any thread, even while a {@link #write} is blocked.
     *
     * @param cause why
     */
    void abort(CloseCause cause);

    /**
     * Sends a transport-level keepalive that the peer's stack answers by itself (a WebSocket ping frame), so that
     * {@link #lastHeardNanos} moves even for a client that never sends a heartbeat of its own. Called by the
     * outbox writer, between writes. Transports without such a frame do nothing.
     *
     * @throws Exception when the connection is broken
     */
    default void keepalive() throws Exception {
    }

    /**
     * When the transport last received anything from the peer below the message level: a WebSocket ping or
     * pong, an HTTP/2 frame (including a gRPC client's keepalive PING).
     *
     * @return a {@link System#nanoTime()} reading, or {@link Long#MIN_VALUE} when the transport cannot tell
     */
    default long lastHeardNanos() {
        return Long.MIN_VALUE;
    }

    /**
     * A session opened (or resumed) on the connection: it has proven to be a client, and no longer counts
     * against its address's pending connections.
     */
    default void sessionOpened() {
    }

    /**
     * Whether the thread that delivers this connection's messages may be held back while the connection's own
     * answers wait to be written ({@code Outbox.awaitRoom}). True where that thread serves this connection alone
     * (a WebSocket); false where it could hold up others (an HTTP/2 connection carries many gRPC streams, and a
     * stream's stalled thread stalls the connection's reader, which HTTP/2 flow control already bounds).
     *
     * @return whether the reader may wait
     */
    default boolean readerMayWait() {
        return false;
    }

    /**
     * Whether the client can resume its session after this connection drops. A client that cannot (a Socket.IO
     * client has no resume) has its session ended at once when the connection closes, so that its peers see
     * {@code peer_left} then rather than after the resume window, and keeps no replay buffer.
     *
     * @return false to end the session with the connection
     */
    default boolean resumable() {
        return true;
    }

    /**
     * @return a credential the transport carried with the connection (gRPC metadata, WebSocket upgrade), if any
     */
    default Optional<String> bearerToken() {
        return Optional.empty();
    }

    /**
     * A short label of the transport, e.g. {@code grpc} or {@code websocket}.
     *
     * @return the label
     */
    String transport();
}
