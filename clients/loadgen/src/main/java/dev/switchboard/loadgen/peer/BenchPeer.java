package dev.switchboard.loadgen.peer;

import java.util.concurrent.CompletableFuture;

/**
 * One simulated peer speaking one server's own protocol. The workload calls {@link #send} and {@link #flush}
 * only from {@link #execute}, on the peer's I/O thread, so a peer needs no locks of its own.
 */
public abstract class BenchPeer implements AutoCloseable {
    protected final String userId;
    protected final String roomId;
    protected final PeerListener listener;
    /** Completes once the server has the peer in its room (for PeerJS, which has no rooms: once open). */
    protected final CompletableFuture<Void> ready = new CompletableFuture<>();

    protected BenchPeer(String userId, String roomId, PeerListener listener) {
        this.userId = userId;
        this.roomId = roomId;
        this.listener = listener;
    }

    public String userId() {
        return userId;
    }

    /** Connects, opens a session and joins the room; the future completes when the server confirms it. */
    public abstract CompletableFuture<Void> open();

    /** Writes a signal to {@code targetUserId} (not flushed). Call from {@link #execute} only. */
    public abstract void send(SignalKind kind, String targetUserId, long stamp);

    /** Tells the server the connection to {@code targetUserId} is up, where the protocol has a way to. */
    public void reportConnected(String targetUserId) {
    }

    /** Pushes what {@link #send} wrote to the socket. */
    public abstract void flush();

    /** Runs {@code task} on this peer's I/O thread (at once when already on it). */
    public abstract void execute(Runnable task);

    /** Ends the session the way a polite client does, then closes the connection. */
    @Override
    public abstract void close();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + userId + "]";
    }
}
