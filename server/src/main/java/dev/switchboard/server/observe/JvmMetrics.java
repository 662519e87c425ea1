package dev.switchboard.server.observe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

/**
 * The JVM's and the process's figures on the metrics endpoint, under the names Prometheus users of JVM services
 * know from Micrometer: {@code jvm_memory_used_bytes}, {@code jvm_gc_pause_seconds}, {@code jvm_threads_live_threads},
 * {@code process_cpu_usage}, {@code process_files_open_files}, {@code process_uptime_seconds} and their kin; plus
 * {@code process_resident_memory_bytes} (as the Prometheus Java client names it), the figure a container's memory
 * limit is about. Micrometer's own binders do the work, bound to the registry Helidon's metrics endpoint serves,
 * except for the collections' timers ({@link GcPauseMetrics}).
 */
public final class JvmMetrics implements AutoCloseable {
    private static final Path STATUS = Path.of("/proc/self/status");

    private final MeterRegistry registry;
    private final GcPauseMetrics gc;
    private final Meter resident;

    /**
     * Binds the meters.
     *
     * @param registry Helidon's registry, backed by Micrometer
     */
    public JvmMetrics(MeterRegistry registry) {
        this.registry = registry;
        io.micrometer.core.instrument.MeterRegistry micrometer =
                registry.unwrap(io.micrometer.core.instrument.MeterRegistry.class);
        // these register their meters with Micrometer now, and none later from another thread (see GcPauseMetrics)
        for (MeterBinder binder : List.of(new JvmMemoryMetrics(), new JvmThreadMetrics(),
                                          new ClassLoaderMetrics(), new ProcessorMetrics(),
                                          new FileDescriptorMetrics(), new UptimeMetrics())) {
            binder.bindTo(micrometer);
        }
        gc = new GcPauseMetrics(registry);
        resident = registry.getOrCreate(Gauge.builder("process.resident.memory", JvmMetrics::residentBytes)
                                                .baseUnit("bytes")
                                                .description("Resident set size of the process (Linux)"));
    }

    /** Stops listening for GC events; the meters stay (they are the process's, whichever server runs). */
    @Override
    public void close() {
        gc.close();
        registry.remove(resident);
    }

    /** VmRSS from /proc/self/status, in bytes; 0 where there is no such file. */
    private static long residentBytes() {
        return rssKib().orElse(0L) * 1024;
    }

    private static Optional<Long> rssKib() {
        try {
            return Files.readAllLines(STATUS).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
