package dev.switchboard.loadgen.workload;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongSupplier;

import com.sun.management.OperatingSystemMXBean;
import dev.switchboard.loadgen.peer.BenchPeer;
import dev.switchboard.loadgen.peer.Payloads;
import dev.switchboard.loadgen.peer.PeerListener;
import dev.switchboard.loadgen.peer.Protocol;
import dev.switchboard.loadgen.peer.SignalKind;
import org.HdrHistogram.Histogram;

/**
 * The benchmark's workload against one server: peers in pairs (rooms of two) open sessions and join, negotiate
 * (offer, answer, candidates, state reports where the protocol has them), then relay ~1 KiB offers both ways,
 * first as fast as the server takes them (each sender keeps {@code window} signals in flight), then paced at a
 * fixed rate. Latency runs from the sender's intended send time to receipt at the target, so a stalled server
 * is not hidden by a stalled sender (no coordinated omission). Every phase ends by waiting until every signal
 * sent has arrived: a lost signal is counted, not ignored.
 */
public final class Workload implements PeerListener, AutoCloseable {
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Duration PHASE_DEADLINE = Duration.ofSeconds(60);
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(5);
    /** How often the pacer has the lanes send what has come due. */
    private static final Duration PACER_TICK = Duration.ofNanos(200_000);

    private final Protocol protocol;
    private final Settings settings;
    private final LongSupplier serverCpuNanos;
    private final List<Lane> lanes = new ArrayList<>();
    private final Map<BenchPeer, Endpoint> endpoints = new IdentityHashMap<>();
    private final List<Endpoint[]> pairs = new ArrayList<>();
    private final AtomicInteger problems = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> problemSamples = new ConcurrentLinkedQueue<>();
    private volatile Phase phase = Phase.IDLE;
    private volatile CountDownLatch negotiated = new CountDownLatch(0);

    /**
     * @param pairs   peer pairs (each pair is a room of two; against the echo server, two independent peers)
     * @param warmup  time at the start of each relay phase that is not measured
     * @param measure measured time of each relay phase
     * @param window  signals each sender keeps in flight in the saturated phase
     * @param openConcurrency sessions being opened at once
     */
    public record Settings(int pairs, Duration warmup, Duration measure, int window, int openConcurrency) {
        @Override
        public String toString() {
            return pairs * 2 + " peers in rooms of two, relay phases of " + warmup.toSeconds() + " s warm-up + "
                   + measure.toSeconds() + " s measured, " + window + " signals in flight per sender when saturated";
        }
    }

    /** A relay phase's outcome. */
    public record Relay(double offeredRate, long delivered, double seconds, Histogram latency, double serverCores,
                        double clientCores, long lost) {
        public double throughput() {
            return delivered / seconds;
        }
    }

    private enum Mode { IDLE, HANDSHAKE, SATURATE, PACED, DRAIN }

    private record Phase(Mode mode, long measureFrom, long measureUntil) {
        static final Phase IDLE = new Phase(Mode.IDLE, 0, 0);

        boolean measures(long now) {
            return now >= measureFrom && now < measureUntil;
        }
    }

    public Workload(Protocol protocol, Settings settings, LongSupplier serverCpuNanos) {
        this.protocol = protocol;
        this.settings = settings;
        this.serverCpuNanos = serverCpuNanos;
        for (var loop : protocol.lanes()) {
            lanes.add(new Lane(loop));
        }
    }

    /**
     * Opens every peer's session and joins its room, a bounded number at a time.
     *
     * @return time from starting to connect to being in the room, per peer, in nanoseconds
     */
    public Histogram open(String runId) throws InterruptedException {
        for (int i = 0; i < settings.pairs(); i++) {
            Lane lane = lanes.get(i % lanes.size());
            String room = runId + "-room-" + i;
            Endpoint a = endpoint(i % lanes.size(), lane, runId + "-a" + i, room);
            Endpoint b = endpoint(i % lanes.size(), lane, runId + "-b" + i, room);
            boolean echo = protocol.echoes();
            a.target = b.peer.userId();
            b.target = a.peer.userId();
            a.offerer = true;
            a.sender = echo ? a : b;
            b.sender = echo ? b : a;
            pairs.add(new Endpoint[] {a, b});
        }
        Histogram joins = Lane.newHistogram();
        Semaphore opening = new Semaphore(settings.openConcurrency());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Endpoint[] pair : pairs) {
            for (Endpoint endpoint : pair) {
                opening.acquire();
                long start = System.nanoTime();
                CompletableFuture<Void> ready = endpoint.peer.open().whenComplete((ok, failure) -> {
                    opening.release();
                    if (failure == null) {
                        synchronized (joins) {
                            joins.recordValue(System.nanoTime() - start);
                        }
                    }
                });
                all.add(ready);
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .orTimeout(PHASE_DEADLINE.toSeconds(), TimeUnit.SECONDS).join();
        return joins;
    }

    private Endpoint endpoint(int laneIndex, Lane lane, String userId, String roomId) {
        BenchPeer peer = protocol.peer(laneIndex, userId, roomId, this);
        Endpoint endpoint = new Endpoint(peer, lane);
        endpoints.put(peer, endpoint);
        lane.endpoints.add(endpoint);
        return endpoint;
    }

    /**
     * Each pair negotiates once: the first peer offers, the second answers and trickles two candidates, the
     * first trickles two back, and both report the connection up (Switchboard's state updates).
     *
     * @return offer sent to answer received, per pair, in nanoseconds
     */
    public Histogram handshake() throws InterruptedException {
        if (protocol.echoes()) {
            return Lane.newHistogram();
        }
        negotiated = new CountDownLatch(pairs.size());
        phase = new Phase(Mode.HANDSHAKE, 0, 0);
        for (Endpoint[] pair : pairs) {
            Endpoint offerer = pair[0];
            offerer.peer.partnerKnown().thenRun(() -> offerer.peer.execute(() -> {
                offerer.peer.send(SignalKind.OFFER, offerer.target, Payloads.now());
                offerer.peer.flush();
            }));
        }
        if (!negotiated.await(PHASE_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException(negotiated.getCount() + " pairs did not finish negotiating: "
                                            + problemSamples);
        }
        phase = Phase.IDLE;
        return merge(lane -> lane.offerToAnswer);
    }

    /** Every sender keeps {@code window} offers in flight for warm-up + measure. */
    public Relay saturate() throws InterruptedException {
        long start = Payloads.now();
        Phase saturate = measuredPhase(Mode.SATURATE, start);
        phase = saturate;
        for (Lane lane : lanes) {
            lane.loop.execute(() -> {
                for (Endpoint endpoint : lane.endpoints) {
                    for (int i = 0; i < settings.window(); i++) {
                        sendOffer(endpoint, Payloads.now());
                    }
                    lane.flushSoon(endpoint);
                }
            });
        }
        return measure(saturate, 0, () -> { });
    }

    /**
     * Every sender sends offers at an equal share of {@code rate} signals per second, on schedule, the senders'
     * schedules spread evenly over each period (so the server sees a steady stream, not all senders at once). A
     * pacing thread wakes every {@link #PACER_TICK} (Netty's own timers fire on millisecond boundaries) and has each
     * lane send what has come due; latency runs from each signal's scheduled time.
     */
    public Relay paced(double rate) throws InterruptedException {
        int senders = pairs.size() * 2;
        double period = 1e9 * senders / rate;
        long start = Payloads.now();
        Phase paced = measuredPhase(Mode.PACED, start);
        int index = 0;
        for (Lane lane : lanes) {
            List<Endpoint> mine = List.copyOf(lane.endpoints);
            double[] offsets = new double[mine.size()];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = period * (index++) / senders;
            }
            lane.snapshot(() -> {
                lane.endpoints.forEach(endpoint -> endpoint.sent = 0);
                return null;
            }).join();
            lane.pacing = new Lane.Pacing(mine, offsets);
        }
        phase = paced;
        Thread pacer = Thread.ofPlatform().name("loadgen-pacer").daemon().start(() -> {
            while (phase == paced) {
                for (Lane lane : lanes) {
                    lane.loop.execute(() -> sendDue(lane, paced, start, period));
                }
                LockSupport.parkNanos(PACER_TICK.toNanos());
            }
        });
        return measure(paced, rate, () -> {
            try {
                pacer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** On a lane's loop: each of its senders sends what has come due by now. */
    private void sendDue(Lane lane, Phase paced, long start, double period) {
        long now = Payloads.now();
        Lane.Pacing pacing = lane.pacing;
        for (int i = 0; i < pacing.endpoints().size(); i++) {
            Endpoint endpoint = pacing.endpoints().get(i);
            double first = start + pacing.offsets()[i];
            long due = now < first ? 0 : 1 + (long) ((now - first) / period);
            boolean wrote = endpoint.sent < due;
            while (endpoint.sent < due && phase == paced) {
                sendOffer(endpoint, (long) (first + endpoint.sent * period));
            }
            if (wrote) {
                endpoint.peer.flush();
            }
        }
    }

    private Phase measuredPhase(Mode mode, long start) {
        long from = start + settings.warmup().toNanos();
        return new Phase(mode, from, from + settings.measure().toNanos());
    }

    private void sendOffer(Endpoint endpoint, long stamp) {
        endpoint.sent++;
        endpoint.inFlight++;
        endpoint.peer.send(SignalKind.OFFER, endpoint.target, stamp);
    }

    private Relay measure(Phase measured, double offeredRate, Runnable stopSending) throws InterruptedException {
        sleepUntil(measured.measureFrom());
        long serverBefore = serverCpuNanos.getAsLong();
        long clientBefore = OS.getProcessCpuTime();
        long from = Payloads.now();
        sleepUntil(measured.measureUntil());
        long serverCpu = serverCpuNanos.getAsLong() - serverBefore;
        long clientCpu = OS.getProcessCpuTime() - clientBefore;
        double seconds = (Payloads.now() - from) / 1e9;
        phase = new Phase(Mode.DRAIN, 0, 0);
        stopSending.run();
        long lost = drain();
        Histogram latency = merge(lane -> lane.latency);
        long delivered = 0;
        for (Lane lane : lanes) {
            delivered += lane.snapshot(() -> {
                long count = lane.deliveredInWindow;
                lane.deliveredInWindow = 0;
                lane.latency = Lane.newHistogram();
                return count;
            }).join();
        }
        long measuredNanos = measured.measureUntil() - measured.measureFrom();
        return new Relay(offeredRate, delivered, measuredNanos / 1e9, latency, serverCpu / 1e9 / seconds,
                         clientCpu / 1e9 / seconds, lost);
    }

    /** Waits until nothing is in flight; returns what never arrived. */
    private long drain() throws InterruptedException {
        long deadline = System.nanoTime() + PHASE_DEADLINE.toNanos();
        while (true) {
            long inFlight = 0;
            for (Lane lane : lanes) {
                inFlight += lane.snapshot(() -> lane.endpoints.stream().mapToLong(e -> e.inFlight).sum()).join();
            }
            if (inFlight == 0 || System.nanoTime() > deadline) {
                return inFlight;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static void sleepUntil(long stamp) throws InterruptedException {
        long wait = stamp - Payloads.now();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private Histogram merge(Function<Lane, Histogram> histogram) {
        Histogram merged = Lane.newHistogram();
        for (Lane lane : lanes) {
            merged.add(lane.snapshot(() -> histogram.apply(lane).copy()).join());
        }
        return merged;
    }

    @Override
    public void onSignal(BenchPeer receiver, SignalKind kind, long stamp) {
        Endpoint at = endpoints.get(receiver);
        Phase current = phase;
        if (current.mode() == Mode.HANDSHAKE) {
            negotiate(at, kind, stamp);
            return;
        }
        long now = Payloads.now();
        Lane lane = at.lane;
        lane.delivered++;
        if (current.measures(now)) {
            lane.deliveredInWindow++;
            lane.latency.recordValue(Math.max(0, now - stamp));
        }
        Endpoint sender = at.sender;
        sender.inFlight--;
        if (current.mode() == Mode.SATURATE) {
            sendOffer(sender, Payloads.now());
            lane.flushSoon(sender);
        }
    }

    private void negotiate(Endpoint at, SignalKind kind, long stamp) {
        Endpoint other = at.sender;
        switch (kind) {
            case OFFER -> {
                at.peer.send(SignalKind.ANSWER, at.target, stamp);
                at.peer.send(SignalKind.CANDIDATE, at.target, Payloads.now());
                at.peer.send(SignalKind.CANDIDATE, at.target, Payloads.now());
            }
            case ANSWER -> {
                at.lane.offerToAnswer.recordValue(Payloads.now() - stamp);
                at.answered = true;
                at.peer.send(SignalKind.CANDIDATE, at.target, Payloads.now());
                at.peer.send(SignalKind.CANDIDATE, at.target, Payloads.now());
            }
            case CANDIDATE -> {
                at.candidatesReceived++;
                if (at.candidatesReceived == 2) {
                    at.peer.reportConnected(at.target);
                }
            }
        }
        at.lane.flushSoon(at);
        Endpoint offerer = at.offerer ? at : other;
        Endpoint answerer = offerer == at ? other : at;
        if (!offerer.negotiated && offerer.answered && offerer.candidatesReceived == 2
            && answerer.candidatesReceived == 2) {
            offerer.negotiated = true;
            negotiated.countDown();
        }
    }

    @Override
    public void onAck(BenchPeer receiver, boolean ok) {
        Lane lane = endpoints.get(receiver).lane;
        if (ok) {
            lane.acked++;
        } else {
            lane.refused++;
        }
    }

    @Override
    public void onProblem(BenchPeer peer, String problem) {
        if (problems.incrementAndGet() <= 20) {
            problemSamples.add(peer + ": " + problem);
        }
    }

    /** Errors and broken connections seen so far, with the first few. */
    public String problems() {
        return problems.get() + (problems.get() == 0 ? "" : " " + problemSamples);
    }

    public int problemCount() {
        return problems.get();
    }

    /** Acks received (relayed, refused) over the run: Switchboard acks every signal. */
    public long[] acks() {
        long acked = 0;
        long refused = 0;
        for (Lane lane : lanes) {
            long[] counts = lane.snapshot(() -> new long[] {lane.acked, lane.refused}).join();
            acked += counts[0];
            refused += counts[1];
        }
        return new long[] {acked, refused};
    }

    /**
     * Ends every session politely and waits (a few seconds at most) until the server has let go of each, so that
     * no session of this workload lingers into the next target's or round's measurement.
     */
    @Override
    public void close() {
        phase = Phase.IDLE;
        for (Endpoint endpoint : endpoints.values()) {
            endpoint.peer.close();
        }
        CompletableFuture<?>[] closed = endpoints.keySet().stream().map(BenchPeer::closed)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closed).get(CLOSE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception notAllInTime) {
            endpoints.keySet().stream().filter(peer -> !peer.closed().isDone()).forEach(BenchPeer::abort);
        }
    }
}
