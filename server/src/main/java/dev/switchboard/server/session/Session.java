package dev.switchboard.server.session;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.signaling.v1.Error;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * One peer's signaling session: who it is, which rooms it is in, and the numbered stream of messages the
 * server sends it.
 * <p>
 * {@link #send} is safe from any thread. It numbers the message and hands it to the session's connection in one
 * step under a lock, so messages reach the peer in exactly the order of their sequence numbers, whichever threads
 * sent them.
 */
public final class Session {
    private final String id;
    private final String userId;
    private final String transport;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final Outbox outbox;
    private long lastSequence;

    /**
     * @param id        server-assigned session id
     * @param userId    the authenticated user
     * @param transport label of the transport the session arrived on
     * @param outbox    where its messages are written
     */
    public Session(String id, String userId, String transport, Outbox outbox) {
        this.id = id;
        this.userId = userId;
        this.transport = transport;
        this.outbox = outbox;
    }

    /**
     * Numbers a message and queues it for the peer.
     *
     * @param message the message, without a sequence number
     */
    public void send(ServerMessage.Builder message) {
        sendLock.lock();
        try {
            outbox.offer(message.setSequence(++lastSequence).build());
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends a typed error; the session goes on.
     *
     * @param code      what went wrong
     * @param detail    readable detail
     * @param requestId the failed request's id, or empty
     */
    public void sendError(ErrorCode code, String detail, String requestId) {
        send(ServerMessage.newBuilder().setRequestId(requestId).setError(error(code, detail, requestId, false)));
    }

    /**
     * An error message.
     *
     * @param code      what went wrong
     * @param detail    readable detail
     * @param requestId the failed request's id, or empty
     * @param fatal     whether the server closes the session after it
     * @return the error
     */
    public static Error.Builder error(ErrorCode code, String detail, String requestId, boolean fatal) {
        return Error.newBuilder().setCode(code).setMessage(detail).setRequestId(requestId).setFatal(fatal);
    }

    /**
     * Sends a last message and closes the connection after it.
     *
     * @param last  final message, e.g. a fatal error
     * @param cause why
     */
    public void sendAndClose(ServerMessage.Builder last, CloseCause cause) {
        sendLock.lock();
        try {
            outbox.closeAfter(last.setSequence(++lastSequence).build(), cause);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Marks the session ended.
     *
     * @return true for the one caller that ended it
     */
    public boolean end() {
        return ended.compareAndSet(false, true);
    }

    /**
     * @return whether the session has ended
     */
    public boolean ended() {
        return ended.get();
    }

    /**
     * The ids of the rooms the session is in; the room registry keeps it in step with room membership.
     *
     * @return live, thread-safe set of room ids
     */
    public Set<String> rooms() {
        return rooms;
    }

    /**
     * @return server-assigned session id
     */
    public String id() {
        return id;
    }

    /**
     * @return the session's user
     */
    public String userId() {
        return userId;
    }

    /**
     * @return label of the session's transport
     */
    public String transport() {
        return transport;
    }

    @Override
    public String toString() {
        return userId + " (" + transport + ", session " + id + ")";
    }
}
