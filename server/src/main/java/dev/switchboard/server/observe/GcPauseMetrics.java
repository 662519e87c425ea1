package dev.switchboard.server.observe;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * {@code jvm_gc_pause_seconds{gc,action,cause}} and {@code jvm_gc_concurrent_phase_time_seconds}, named and tagged
 * as Micrometer's {@code JvmGcMetrics} has them, but registered through Helidon's registry.
 * <p>
 * Helidon gap: Helidon 4.2's Micrometer registry holds its own lock while it registers a meter with Micrometer
 * (which takes Micrometer's lock), and its listener for meters registered with Micrometer directly takes Helidon's
 * lock under Micrometer's. {@code JvmGcMetrics} registers a timer with Micrometer directly, on the JVM's
 * notification thread, the first time a collection has a new cause; a thread registering any meter through
 * Helidon at that moment (a counter made on its first use, the gauges at start) deadlocks with it, and every later
 * registration and scrape waits behind them. Registered here through Helidon, every registration takes the two
 * locks in the same order ({@code GcPauseMetricsTest}).
 */
final class GcPauseMetrics implements NotificationListener, AutoCloseable {
    private final MeterRegistry registry;
    private final List<NotificationEmitter> emitters = new ArrayList<>();

    /**
     * Starts listening to the JVM's collectors.
     *
     * @param registry Helidon's registry
     */
    GcPauseMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, notification -> notification.getType()
                        .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION), null);
                emitters.add(emitter);
            }
        }
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        GarbageCollectionNotificationInfo collection =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        record(collection.getGcName(), collection.getGcAction(), collection.getGcCause(),
               Duration.ofMillis(collection.getGcInfo().getDuration()));
    }

    /**
     * Records one collection.
     *
     * @param gc       the collector
     * @param action   e.g. "end of minor GC"
     * @param cause    e.g. "G1 Evacuation Pause"
     * @param duration how long it took
     */
    void record(String gc, String action, String cause, Duration duration) {
        boolean concurrent = isConcurrentPhase(gc, cause);
        registry.getOrCreate(Timer.builder(concurrent ? "jvm.gc.concurrent.phase.time" : "jvm.gc.pause")
                                     .description(concurrent ? "Time spent in concurrent phase"
                                                          : "Time spent in GC pause")
                                     .tags(List.of(Tag.create("gc", gc), Tag.create("action", action),
                                                   Tag.create("cause", cause))))
                .record(duration);
    }

    /** The collectors that report their concurrent cycles as collections (as Micrometer tells them apart). */
    private static boolean isConcurrentPhase(String gc, String cause) {
        return "No GC".equals(cause)
                || "Shenandoah Cycles".equals(gc)
                || (gc.startsWith("ZGC") && gc.endsWith("Cycles"))
                || (gc.startsWith("GPGC") && !gc.endsWith("Pauses"));
    }

    /** Stops listening; the meters stay (they are the process's). */
    @Override
    public void close() {
        for (NotificationEmitter emitter : emitters) {
            try {
                emitter.removeNotificationListener(this);
            } catch (ListenerNotFoundException alreadyGone) {
                // nothing to undo
            }
        }
    }
}
