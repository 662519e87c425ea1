package dev.switchboard.server.transport.gate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

import io.helidon.common.buffers.DataReader;

/**
 * Helidon gap (README, "Helidon gaps"): Helidon 4.2.6's {@link DataReader} moves its head past a consumed chunk
 * without unlinking it, so every chunk a connection ever read keeps the next one reachable. Once one consumed chunk
 * is in the old generation (after any full collection, or on a connection quiet long enough for its current chunk
 * to be tenured), every later chunk is reachable from it at each young collection, so the connection's whole
 * inbound stream is promoted, and with the Serial collector the old generation grows by it up to {@code -Xmx}
 * before a full collection breaks the chain. A gRPC benchmark's server went from 240 MiB to over 1 GiB RSS in 20 s
 * after one full collection (a code cache threshold) mid-run.
 * <p>
 * A reader made here unlinks the chunks before its head each time it pulls more data: at most the chunks consumed
 * since the last pull stay linked. The reader is used by one thread (the connection's), as Helidon's is.
 */
final class ConsumedNodes {
    private static final VarHandle HEAD;
    private static final VarHandle NEXT;

    static {
        try {
            Class<?> node = Class.forName(DataReader.class.getName() + "$Node");
            HEAD = MethodHandles.privateLookupIn(DataReader.class, MethodHandles.lookup())
                    .findVarHandle(DataReader.class, "head", node);
            NEXT = MethodHandles.privateLookupIn(node, MethodHandles.lookup()).findVarHandle(node, "next", node);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("Helidon's DataReader is not the one this patch was written for "
                    + "(4.2.6): check whether it still keeps consumed chunks linked (" + e + ")");
        }
    }

    /** The reader's head when chunks were last unlinked: everything before the current head starts there. */
    private Object oldest;

    private ConsumedNodes() {
    }

    /**
     * @param source the next chunk of input, blocking until there is one (as for {@link DataReader})
     * @return a reader of it that lets go of the chunks it consumed
     */
    static DataReader reader(Supplier<byte[]> source) {
        ConsumedNodes consumed = new ConsumedNodes();
        DataReader[] reader = new DataReader[1];
        reader[0] = new DataReader(() -> {
            consumed.unlinkBefore(reader[0]);
            return source.get();
        });
        return reader[0];
    }

    /** Unlinks the chunks before the head; the head and what follows it may still be read. */
    private void unlinkBefore(DataReader reader) {
        Object head = HEAD.get(reader);
        Object node = oldest;
        // the head only ever moves along the links, so the walk from the oldest reaches it
        while (node != null && node != head) {
            Object next = NEXT.get(node);
            NEXT.set(node, null);
            node = next;
        }
        oldest = head;
    }
}
