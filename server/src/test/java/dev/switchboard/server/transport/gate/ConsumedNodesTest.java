package dev.switchboard.server.transport.gate;

import java.lang.invoke.MethodHandles;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import io.helidon.common.buffers.DataReader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Helidon gap {@link ConsumedNodes} patches: a chunk a reader consumed long ago (here held on purpose, as an
 * old-generation object is held until a full collection) must not keep the chunks read after it reachable.
 */
class ConsumedNodesTest {
    private static final int CHUNKS = 64;
    private static final int CHUNK_BYTES = 1024;

    @Test
    void helidonsOwnReaderKeepsEveryLaterChunkReachableFromAConsumedOne() throws Exception {
        // the gap itself: when this fails, Helidon unlinks consumed chunks and ConsumedNodes can go
        Reading reading = readAll(DataReader::new);
        System.gc();
        assertNotNull(reading.lastChunk.get(), "Helidon's reader keeps the chain from the first chunk");
        assertNotNull(reading.firstNode);
    }

    @Test
    void theGatesReaderLetsGoOfChunksAnOldConsumedOneLinkedTo() throws Exception {
        Reading reading = readAll(ConsumedNodes::reader);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (reading.lastChunk.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.onSpinWait();
        }
        assertTrue(reading.lastChunk.get() == null, "a chunk consumed after the held one is still reachable");
        assertNotNull(reading.firstNode);
    }

    @Test
    void theGatesReaderReadsAcrossChunksAsHelidonsDoes() {
        List<byte[]> chunks = List.of(new byte[] {1, 2, 3}, new byte[] {4}, new byte[] {5, 6, 7, 8});
        int[] next = {0};
        DataReader reader = ConsumedNodes.reader(() -> next[0] < chunks.size() ? chunks.get(next[0]++) : null);
        assertEquals(1, reader.read());
        // a read spanning three chunks pulls while earlier ones are still being read
        byte[] span = reader.readBytes(6);
        assertEquals(List.of(2, 3, 4, 5, 6, 7), toList(span));
        assertEquals(8, reader.read());
    }

    /**
     * Reads {@link #CHUNKS} chunks through a reader, holding the node of the first one (as the old generation holds
     * a consumed node that was promoted) and only a weak reference to the last chunk's bytes.
     */
    private static Reading readAll(Function<Supplier<byte[]>, DataReader> readers) throws Exception {
        List<WeakReference<byte[]>> supplied = new ArrayList<>();
        int[] count = {0};
        DataReader reader = readers.apply(() -> {
            if (count[0]++ == CHUNKS) {
                return null;
            }
            byte[] chunk = new byte[CHUNK_BYTES];
            supplied.add(new WeakReference<>(chunk));
            return chunk;
        });
        reader.ensureAvailable();
        Object firstNode = MethodHandles.privateLookupIn(DataReader.class, MethodHandles.lookup())
                .findVarHandle(DataReader.class, "head", Class.forName(DataReader.class.getName() + "$Node"))
                .get(reader);
        for (int i = 0; i < CHUNKS - 1; i++) {
            reader.skip(CHUNK_BYTES);
        }
        reader.ensureAvailable();
        reader.skip(CHUNK_BYTES);
        try {
            reader.ensureAvailable();      // the end: the last chunk is consumed, and the reader moves past it
        } catch (DataReader.InsufficientDataAvailableException expected) {
            // as a closed connection's reader ends
        }
        return new Reading(firstNode, supplied.get(CHUNKS - 2));
    }

    private static List<Integer> toList(byte[] bytes) {
        List<Integer> values = new ArrayList<>();
        for (byte b : bytes) {
            values.add((int) b);
        }
        return values;
    }

    private record Reading(Object firstNode, WeakReference<byte[]> lastChunk) {
    }
}
