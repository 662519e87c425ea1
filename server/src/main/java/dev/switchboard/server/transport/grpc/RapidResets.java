package dev.switchboard.server.transport.grpc;

import java.util.ArrayDeque;

/**
 * Streams a client opens and resets before they carried a single message, on one HTTP/2 connection: the "rapid
 * reset" attack (CVE-2023-44487) makes a server do a stream's set-up work over and over for nothing. More than
 * {@value #MAX_RESETS} within {@value #WINDOW_SECONDS} seconds and the connection is closed.
 * <p>
 * Helidon 4.2 has such a check, but it counts every reset of a gRPC stream (their write state never leaves INIT,
 * since the gRPC handler writes around it) and never forgets: a gRPC connection was closed after its 51st
 * cancelled call, however slowly they came. That check is off ({@code max-rapid-resets: -1}); this one counts what
 * it should.
 */
final class RapidResets {
    static final int MAX_RESETS = 100;
    static final int WINDOW_SECONDS = 10;
    private static final long WINDOW_NANOS = WINDOW_SECONDS * 1_000_000_000L;

    private final ArrayDeque<Long> recent = new ArrayDeque<>();

    /**
     * A stream was reset by the client before it carried a message.
     *
     * @return true when the connection has now reset too many such streams, and must be closed
     */
    synchronized boolean reset() {
        long now = System.nanoTime();
        while (!recent.isEmpty() && now - recent.peekFirst() > WINDOW_NANOS) {
            recent.pollFirst();
        }
        recent.addLast(now);
        return recent.size() > MAX_RESETS;
    }
}
