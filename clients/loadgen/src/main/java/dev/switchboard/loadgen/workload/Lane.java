package dev.switchboard.loadgen.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

/**
 * One client I/O thread and everything it owns: the peers on it (both peers of a pair share a lane), their
 * counters and a latency histogram. Only the lane's thread touches them, so none of it needs a lock;
 * {@link #snapshot} reads them on that thread.
 */
final class Lane {
    final ScheduledExecutorService loop;
    final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Endpoint> unflushed = new ArrayList<>();
    private boolean flushScheduled;

    /** Relay latency of signals received inside the measured window, in nanoseconds. */
    Histogram latency = newHistogram();
    /** Offer sent to answer received, during the handshake. */
    final Histogram offerToAnswer = newHistogram();
    long deliveredInWindow;
    /** The paced phase's schedule of this lane's senders. */
    volatile Pacing pacing;
    long delivered;
    long acked;
    long refused;

    /**
     * A lane's senders and where each one's schedule starts within the period.
     *
     * @param endpoints the senders
     * @param offsets   nanoseconds after the start of the phase, per sender
     */
    record Pacing(List<Endpoint> endpoints, double[] offsets) {
    }

    Lane(ScheduledExecutorService loop) {
        this.loop = loop;
    }

    static Histogram newHistogram() {
        return new Histogram(3_600_000_000_000L, 3);
    }

    /**
     * Flushes {@code endpoint} once the loop has handled what it read so far: frames written while reacting to
     * a batch of reads leave in as few socket writes as possible.
     */
    void flushSoon(Endpoint endpoint) {
        if (!endpoint.unflushed) {
            endpoint.unflushed = true;
            unflushed.add(endpoint);
        }
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(this::flushAll);
        }
    }

    private void flushAll() {
        flushScheduled = false;
        for (Endpoint endpoint : unflushed) {
            endpoint.unflushed = false;
            endpoint.peer.flush();
        }
        unflushed.clear();
    }

    /** Runs {@code read} on the lane's thread and returns its result. */
    <T> CompletableFuture<T> snapshot(Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, loop);
    }
}
