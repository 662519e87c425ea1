package dev.switchboard.loadgen.peer;

/** What a simulated peer reports to the workload. Called on the peer's I/O thread; must not block. */
public interface PeerListener {
    /**
     * A signal arrived.
     *
     * @param receiver the peer it arrived at
     * @param kind     what it was
     * @param stamp    the {@link System#nanoTime()} its sender put in it (its intended send time)
     */
    void onSignal(BenchPeer receiver, SignalKind kind, long stamp);

    /** The server acknowledged one of the receiver's signals (Switchboard only); {@code ok} = relayed. */
    default void onAck(BenchPeer receiver, boolean ok) {
    }

    /** The server sent an error, or the connection broke: counted, and reported after the phase. */
    void onProblem(BenchPeer peer, String problem);
}
