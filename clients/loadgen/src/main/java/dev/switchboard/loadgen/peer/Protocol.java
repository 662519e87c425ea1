package dev.switchboard.loadgen.peer;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How to make peers of one server, and the client I/O threads they run on. A peer made for lane {@code i}
 * receives on, and is driven from, {@code lanes().get(i)}.
 */
public interface Protocol extends AutoCloseable {
    /** The client's I/O threads. */
    List<ScheduledExecutorService> lanes();

    /** A new, unopened peer on lane {@code lane}. */
    BenchPeer peer(int lane, String userId, String roomId, PeerListener listener);

    /** True when a peer's signals come back to itself (the echo server) instead of reaching its partner. */
    default boolean echoes() {
        return false;
    }

    /** Stops the I/O threads. */
    @Override
    void close();
}
