package dev.switchboard.server.cluster.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.cluster.backend.StoreOp;
import dev.switchboard.server.cluster.backend.WriteBatch;

/**
 * A batch {@link Outgoing} handed its writer, and what completes when it is written. The changed records are read
 * by the writer, after Outgoing's lock is released: reading one takes its session's locks, under which sessions
 * call into Outgoing.
 *
 * @param taken     the envelopes and session writes taken
 * @param changed   the records to read and save after them
 * @param done      completes when the batch is written
 * @param envelopes how many envelopes, for metrics
 */
record TakenBatch(WriteBatch taken, List<Supplier<SessionRecord>> changed, CompletableFuture<Void> done,
                  int envelopes) {
    /** @return the batch to write, with the changed records read now */
    WriteBatch batch() {
        if (changed.isEmpty()) {
            return taken;
        }
        List<StoreOp> store = new ArrayList<>(taken.store());
        changed.forEach(record -> store.add(new StoreOp.Saved(record.get())));
        return new WriteBatch(taken.envelopes(), store);
    }
}
