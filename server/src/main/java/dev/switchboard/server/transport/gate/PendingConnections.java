package dev.switchboard.server.transport.gate;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections per remote address that have not yet proven they are clients: accepted, but with no complete HTTP
 * request, no session and no HTTP/2 stream yet ({@code limits.pending-connections-per-address}). A client that
 * opens hundreds of sockets and stalls them holds at most this many file descriptors, each for at most
 * {@code limits.request-timeout} or {@code limits.hello-timeout}.
 */
public final class PendingConnections {
    private final int maxPerAddress;
    private final ConcurrentHashMap<InetAddress, Integer> pending = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    /**
     * @param maxPerAddress pending connections one address may hold at once
     */
    public PendingConnections(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * @param address the connection's remote address
     * @return whether it is admitted; if so, {@link #settled} must follow exactly once
     */
    public boolean admit(InetAddress address) {
        boolean[] admitted = new boolean[1];
        pending.compute(address, (key, count) -> {
            int now = count == null ? 0 : count;
            admitted[0] = now < maxPerAddress;
            return admitted[0] ? now + 1 : (count == null ? null : count);
        });
        if (admitted[0]) {
            total.incrementAndGet();
        }
        return admitted[0];
    }

    /**
     * The connection proved itself (or closed): it no longer counts.
     *
     * @param address its remote address
     */
    public void settled(InetAddress address) {
        pending.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        total.decrementAndGet();
    }

    /**
     * @return pending connections over all addresses
     */
    public int total() {
        return total.get();
    }

    /**
     * @return the limit per address
     */
    int maxPerAddress() {
        return maxPerAddress;
    }
}
