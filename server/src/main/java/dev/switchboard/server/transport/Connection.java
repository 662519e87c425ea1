package dev.switchboard.server.transport;

import dev.switchboard.signaling.v1.ClientMessage;

/**
 * One transport connection as a transport sees the core: it hands the connection every decoded frame and tells
 * it when the connection is gone; everything else happens in the core.
 * <p>
 * A transport calls {@link #receive}, {@link #receiveMalformed} and {@link #messageTooLarge} from one thread at
 * a time (its reader), and {@link #closed} from any thread, any number of times.
 */
public interface Connection {
    /**
     * A frame decoded into a message.
     *
     * @param message the message
     */
    void receive(ClientMessage message);

    /**
     * A frame that could not be decoded. The peer gets {@code error INVALID_MESSAGE}; the session goes on.
     *
     * @param detail what was wrong with it
     */
    void receiveMalformed(String detail);

    /**
     * A message larger than {@code limits.max-message-bytes} arrived, unread: the peer gets
     * {@code MESSAGE_TOO_LARGE} and the connection is closed. A session stays resumable, as after any drop.
     *
     * @param maxBytes the limit, for the error's detail
     */
    void messageTooLarge(int maxBytes);

    /**
     * The connection is gone: closed by the peer, reset, failed, or silent past the heartbeat timeout.
     * Idempotent.
     */
    void closed();
}
