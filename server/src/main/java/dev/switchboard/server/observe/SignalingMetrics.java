package dev.switchboard.server.observe;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import dev.switchboard.server.cluster.ClusterMetrics;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalKind;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Meter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * Switchboard's meters, in Helidon's global registry, scraped at {@code /observe/metrics} (Prometheus text with
 * {@code Accept: text/plain}). Components report events here; gauges read the registries when scraped.
 * <p>
 * Names (as Prometheus shows them): {@code switchboard_sessions{transport}}, {@code switchboard_rooms},
 * {@code switchboard_peers}, {@code switchboard_buffered_messages}, {@code switchboard_sessions_opened_total},
 * {@code switchboard_signals_relayed_total{kind}}, {@code switchboard_signals_dropped_total{kind,reason}},
 * {@code switchboard_acks_total{outcome}}, {@code switchboard_refused_messages_total{code}},
 * {@code switchboard_ice_restarts_total{event}}, {@code switchboard_resumes_total{outcome}},
 * {@code switchboard_relay_latency_seconds} (histogram: receipt of a signal to its hand-off to the target's
 * connection).
 */
public final class SignalingMetrics implements ClusterMetrics, AutoCloseable {
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofSeconds(1)};

    private final MeterRegistry registry;
    private final List<Meter> created = new CopyOnWriteArrayList<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer relayLatency;
    /**
     * The counts behind counters read when scraped, by name and tags; process-wide like the registry, so that
     * servers sharing a JVM (tests, an in-memory cluster) add up in one meter, as registry counters do.
     */
    private static final Map<String, LongAdder> SCRAPED_COUNTS = new ConcurrentHashMap<>();

    private final List<String> scrapedCountsCreated = new CopyOnWriteArrayList<>();
    /** Counted on every signal, read when scraped (a registry counter costs 1-2% of a relay's CPU per signal). */
    private final Map<SignalKind, LongAdder> relayed = new EnumMap<>(SignalKind.class);
    private final Map<String, LongAdder> acks = new HashMap<>();

    /**
     * @param registry where the meters live: Helidon's global registry, which the metrics endpoint serves
     */
    public SignalingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.relayLatency = track(registry.getOrCreate(
                Timer.builder("switchboard.relay.latency")
                        .description("From receipt of an offer, answer or candidate to its hand-off to the target's "
                                             + "connection")
                        .buckets(LATENCY_BUCKETS)
                        // Helidon gives every timer client-side percentiles, an HdrHistogram per time window
                        // recorded on each signal (2% of a relay's CPU); the buckets already give Prometheus
                        // histogram_quantile, across nodes too
                        .percentiles(new double[0])));
        for (SignalKind kind : List.of(SignalKind.SIGNAL_KIND_OFFER, SignalKind.SIGNAL_KIND_ANSWER,
                                       SignalKind.SIGNAL_KIND_ICE_CANDIDATE)) {
            relayed.put(kind, countedWhenScraped("switchboard.signals.relayed", "Signals handed to their target",
                                                 "kind", name(kind)));
        }
        for (String outcome : List.of("success", "duplicate", "stale", "refused")) {
            acks.put(outcome, countedWhenScraped("switchboard.acks", "Acks sent, by outcome", "outcome", outcome));
        }
    }

    /**
     * @return the registry, for the metrics endpoint
     */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Registers a gauge read at each scrape.
     *
     * @param name        meter name
     * @param description what it counts
     * @param value       read at scrape time
     * @param tags        key, value, key, value...
     */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        track(registry.getOrCreate(Gauge.builder(name, () -> value.get().doubleValue())
                                           .description(description)
                                           .tags(tags(tags))));
    }

    /** A session opened (not resumed). */
    public void sessionOpened() {
        counter("switchboard.sessions.opened", "Sessions opened").increment();
    }

    /**
     * @param succeeded whether a resume attempt succeeded
     */
    public void resumed(boolean succeeded) {
        counter("switchboard.resumes", "Resume attempts by outcome", "outcome", succeeded ? "succeeded" : "failed")
                .increment();
    }

    /**
     * A signal went to its target.
     *
     * @param kind       offer, answer or candidate
     * @param receivedAt {@link System#nanoTime()} when its frame was received
     */
    public void signalRelayed(SignalKind kind, long receivedAt) {
        relayed.get(kind).increment();
        relayLatency.record(Duration.ofNanos(System.nanoTime() - receivedAt));
    }

    /**
     * A signal was not relayed because it was applied before or superseded.
     *
     * @param kind      offer, answer or candidate
     * @param duplicate true for a duplicate, false for a stale signal
     */
    public void signalDropped(SignalKind kind, boolean duplicate) {
        counter("switchboard.signals.dropped", "Signals not relayed: duplicates and stale ones", "kind", name(kind),
                "reason", duplicate ? "duplicate" : "stale").increment();
    }

    /**
     * @param event requested, recovered or exhausted
     */
    public void iceRestart(String event) {
        counter("switchboard.ice.restarts", "Automatic ICE restarts: requested, recovered, exhausted",
                "event", event).increment();
    }

    @Override
    public void envelopes(String event, long count) {
        counter("switchboard.cluster.envelopes", "Envelopes between cluster nodes: sent, received, duplicate, lost, "
                + "undeliverable", "event", event).increment(count);
    }

    @Override
    public void mirrored(int writes) {
        counter("switchboard.cluster.mirror.writes", "Session state writes (opened, messages sent, records, ended) "
                + "the cluster backend took").increment(writes);
    }

    @Override
    public void mirrorWriteFailed() {
        counter("switchboard.cluster.mirror.failures", "Session state writes to the cluster backend that failed")
                .increment();
    }

    /**
     * Counts a message queued for a client: errors by code.
     *
     * @param message the message
     */
    public void queued(ServerMessage message) {
        if (message.hasError()) {
            counter("switchboard.refused.messages", "Errors sent to clients, by code",
                    "code", name(message.getError().getCode())).increment();
        }
    }

    /**
     * Counts the outcome of one signal as its sender is told (in an {@code ack}, or within a range).
     *
     * @param outcome success, duplicate, stale or refused
     */
    public void acknowledged(String outcome) {
        acks.get(outcome).increment();
    }

    private Counter counter(String name, String description, String... tags) {
        String key = tags.length == 0 ? name : name + "|" + String.join("|", tags);
        return counters.computeIfAbsent(key, unused -> track(registry.getOrCreate(
                Counter.builder(name).description(description).tags(tags(tags)))));
    }

    private LongAdder countedWhenScraped(String name, String description, String... tags) {
        String key = name + "|" + String.join("|", tags);
        LongAdder count = SCRAPED_COUNTS.computeIfAbsent(key, unused -> new LongAdder());
        scrapedCountsCreated.add(key);
        track(registry.getOrCreate(FunctionalCounter.builder(name, count, LongAdder::sum)
                                           .description(description).tags(tags(tags))));
        return count;
    }

    private <M extends Meter> M track(M meter) {
        created.add(meter);
        return meter;
    }

    /**
     * Removes this server's meters from the registry (it is the process's), so that a server started later in the
     * same JVM counts from zero and its gauges read its own state.
     */
    @Override
    public void close() {
        created.forEach(registry::remove);
        created.clear();
        scrapedCountsCreated.forEach(SCRAPED_COUNTS::remove);
        scrapedCountsCreated.clear();
    }

    private static Iterable<Tag> tags(String... keyValues) {
        Tag[] tags = new Tag[keyValues.length / 2];
        for (int i = 0; i < tags.length; i++) {
            tags[i] = Tag.create(keyValues[2 * i], keyValues[2 * i + 1]);
        }
        return List.of(tags);
    }

    private static String name(Enum<?> value) {
        String full = value.name();
        String prefix = value.getDeclaringClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2")
                .toUpperCase(Locale.ROOT) + "_";
        return (full.startsWith(prefix) ? full.substring(prefix.length()) : full).toLowerCase(Locale.ROOT);
    }
}
