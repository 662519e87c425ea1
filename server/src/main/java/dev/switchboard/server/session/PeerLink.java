package dev.switchboard.server.session;

import dev.switchboard.signaling.v1.ServerMessage;

/**
 * One transport connection as the core sees it. Each transport implements it; the core never learns
 * which transport it is talking to beyond {@link #transport()}, a label for logs and metrics.
 */
public interface PeerLink {
    /**
     * Writes one message. Only the connection's {@link Outbox} writer calls this, one message at a time and in
     * order, so an implementation needs no locking of its own against other writes. It may block (flow control,
     * a full socket buffer): that stalls only this connection.
     *
     * @param message the message
     * @throws Exception when the connection is broken; the outbox then treats the link as gone
     */
    void write(ServerMessage message) throws Exception;

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
     * A short label of the transport, e.g. {@code grpc} or {@code websocket}.
     *
     * @return the label
     */
    String transport();
}
