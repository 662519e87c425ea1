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
    /** Completes once the connection has ended after {@link #close}. */
    protected final CompletableFuture<Void> closed = new CompletableFuture<>();
    /**
     * Completes once the server has told this peer the other member of its room is there (in the room's member
     * list or a peer_joined), as a real client waits before it offers: in a cluster a member that just joined on
     * another node becomes known to this node a moment after its own room_joined. Protocols without rooms
     * complete it with {@link #ready}.
     */
    protected final CompletableFuture<Void> partnerKnown = new CompletableFuture<>();

    protected BenchPeer(String userId, String roomId, PeerListener listener, boolean hasRooms) {
        this.userId = userId;
        this.roomId = roomId;
        this.listener = listener;
        if (!hasRooms) {
            ready.whenComplete((ok, failure) -> partnerKnown.complete(null));
        }
    }

    public String userId() {
        return userId;
    }

    /** Connects, opens a session and joins the room; the future completes when the server confirms it. */
    public abstract CompletableFuture<Void> open();

    /**
     * @return completes once this peer may signal the other member of its room
     */
    public CompletableFuture<Void> partnerKnown() {
        return partnerKnown;
    }

    /** Writes a signal to {@code targetUserId} (not flushed). Call from {@link #execute} only. */
    public abstract void send(SignalKind kind, String targetUserId, long stamp);

    /** Tells the server the connection to {@code targetUserId} is up, where the protocol has a way to. */
    public void reportConnected(String targetUserId) {
    }

    /** Pushes what {@link #send} wrote to the socket. */
    public abstract void flush();

    /** Runs {@code task} on this peer's I/O thread (at once when already on it). */
    public abstract void execute(Runnable task);

    /**
     * Ends the session the way a polite client does: where the protocol has a goodbye, it says it and lets the
     * server close the connection (a client that closes its socket while the server still writes to it resets the
     * connection, and the server may never read the goodbye); {@link #closed()} completes once it is gone.
     */
    @Override
    public abstract void close();

    /**
     * @return completes once the connection has ended after {@link #close}
     */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** Drops the connection now, for a peer the server did not let go of in time. */
    public abstract void abort();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + userId + "]";
    }
}
