package dev.switchboard.server.observe;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import java.util.function.Predicate;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The collections' timers are registered the way every other meter is (through Helidon), so a collection with a
 * new cause never deadlocks with a meter registered at the same moment. With Micrometer's {@code JvmGcMetrics},
 * whose notification thread registers with Micrometer directly, the race below deadlocked within its first few
 * hundred rounds.
 */
class GcPauseMetricsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final int ROUNDS = 3_000;

    private final MeterRegistry registry = Metrics.globalRegistry();

    @Test
    void collectionsWithNewCausesRaceMetersMadeMeanwhileWithoutADeadlock() throws Exception {
        String run = UUID.randomUUID().toString();
        CountDownLatch start = new CountDownLatch(1);
        boolean deadlocked;
        try (GcPauseMetrics gc = new GcPauseMetrics(registry)) {
            Thread collections = racer(start, i -> gc.record("Test GC " + run, "end of minor GC", "cause " + i,
                                                             Duration.ofMillis(1)));
            Thread meters = racer(start, i -> registry.getOrCreate(Counter.builder("test.race.counter")
                                                                           .tags(List.of(Tag.create("run", run),
                                                                                         Tag.create("i", "" + i)))));
            start.countDown();
            collections.join(DEADLINE);
            meters.join(DEADLINE);
            deadlocked = collections.isAlive() || meters.isAlive();
        }
        // a deadlocked registry cannot be cleaned up: every later call on it would wait too
        assertFalse(deadlocked, "the registrations deadlocked");
        registry.meters(meter -> tagged(meter, tag -> tag.value().contains(run))).forEach(registry::remove);
    }

    @Test
    void aRealCollectionIsTimedUnderMicrometersNames() throws Exception {
        long before = systemGcPauses();
        try (GcPauseMetrics unused = new GcPauseMetrics(registry)) {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            System.gc();
            while (systemGcPauses() <= before && System.nanoTime() < deadline) {
                Thread.onSpinWait();    // the notification comes on the JVM's own thread, soon after
            }
        }
        assertTrue(systemGcPauses() > before, "no jvm.gc.pause{cause=System.gc()} recorded");
    }

    private long systemGcPauses() {
        return registry.meters(meter -> meter.id().name().equals("jvm.gc.pause")
                && tagged(meter, tag -> tag.key().equals("cause") && tag.value().equals("System.gc()")))
                .stream().mapToLong(meter -> ((Timer) meter).count()).sum();
    }

    private static boolean tagged(Meter meter, Predicate<Tag> wanted) {
        for (Tag tag : meter.id().tags()) {
            if (wanted.test(tag)) {
                return true;
            }
        }
        return false;
    }

    private static Thread racer(CountDownLatch start, IntConsumer round) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                start.await();
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 0; i < ROUNDS; i++) {
                round.accept(i);
            }
        });
    }
}
