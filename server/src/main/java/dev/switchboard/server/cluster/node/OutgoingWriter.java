package dev.switchboard.server.cluster.node;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.switchboard.server.cluster.ClusterMetrics;
import dev.switchboard.server.cluster.ClusterUnavailableException;
import dev.switchboard.server.cluster.backend.ClusterBackend;
import dev.switchboard.server.cluster.backend.WriteBatch;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The one thread that writes what {@link Outgoing} queues: it takes a batch, writes it and waits for the backend
 * (holding no lock), completes the batch's callers, and goes round again. One batch at a time, so under load a
 * write carries everything queued during the previous one.
 */
final class OutgoingWriter implements Runnable {
    private static final System.Logger LOG = System.getLogger("switchboard.cluster");

    private final Outgoing outgoing;
    private final ClusterBackend backend;
    private final ClusterMetrics metrics;
    private final Duration writeTimeout;

    OutgoingWriter(Outgoing outgoing, ClusterBackend backend, ClusterMetrics metrics, Duration writeTimeout) {
        this.outgoing = outgoing;
        this.backend = backend;
        this.metrics = metrics;
        this.writeTimeout = writeTimeout;
    }

    @Override
    public void run() {
        while (true) {
            TakenBatch taken = outgoing.take();
            if (taken == null) {
                return;
            }
            WriteBatch batch = taken.batch();
            boolean failed = false;
            try {
                backend.write(batch).toCompletableFuture()
                        .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
                metrics.envelopes("sent", taken.envelopes());
                if (!batch.store().isEmpty()) {
                    metrics.mirrored(batch.store().size());
                }
                taken.done().complete(null);
            } catch (InterruptedException e) {
                taken.done().completeExceptionally(new ClusterUnavailableException("writing to the backend", e));
                return;
            } catch (Exception e) {
                failed = true;
                failed(taken, batch, e);
            } finally {
                outgoing.writeEnded(failed);
            }
        }
    }

    private void failed(TakenBatch taken, WriteBatch batch, Exception failure) {
        taken.done().completeExceptionally(new ClusterUnavailableException("writing to the backend", failure));
        if (!batch.store().isEmpty()) {
            metrics.mirrorWriteFailed();
        }
        LOG.log(WARNING, "Cluster write failed (" + taken.envelopes() + " envelopes, " + batch.store().size()
                + " session writes): " + failure);
    }
}
