package dev.switchboard.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.switchboard.loadgen.peer.Protocol;
import dev.switchboard.loadgen.peer.Protocols;
import dev.switchboard.loadgen.report.Percentiles;
import dev.switchboard.loadgen.report.Report;
import dev.switchboard.loadgen.server.ServerProcess;
import dev.switchboard.loadgen.workload.Workload;

/**
 * How many idle sessions one Switchboard holds, and what each costs: sessions are added in steps (each one
 * open, in a room of two, answering heartbeats); after every step the server's live heap (after a full GC) and
 * RSS are read, and a few active pairs relay at a steady rate to see whether latency still holds: it breaks when
 * that probe's p99 passes {@value #BROKEN_P99_MS} ms twice in a row (one spike is this machine's scheduler). The
 * ramp goes on to the target, or until sessions cannot be opened, so that memory is measured at the target too.
 * Sessions are WebSockets while this process's file-descriptor limit allows (one socket each, on both sides),
 * then gRPC streams, {@value Protocols#GRPC_STREAMS_PER_CHANNEL} per HTTP/2 connection. The sessions stay open
 * until the server is stopped at the end.
 */
final class IdleCapacity {
    /** Signaling slower than this delays call set-up noticeably (trickled candidates arrive late). */
    static final double BROKEN_P99_MS = 100;
    private static final int PROBE_PAIRS = 10;
    private static final double PROBE_RATE = 1_000;
    /** File descriptors kept for everything that is not a session socket (jars, pipes, the probe, gRPC). */
    private static final int DESCRIPTORS_SPARE = 1_500;

    /**
     * @param sessions  sessions open after the step
     * @param webSocket of which WebSocket sessions
     * @param grpc      of which gRPC streams
     * @param liveHeapBytes server heap in use after a full GC
     * @param rssBytes  server resident memory
     * @param join      connect to in-room latency of this step's sessions
     * @param probe     relay latency of the probe pairs at {@value #PROBE_RATE} signals/s
     */
    record Step(int sessions, int webSocket, int grpc, long liveHeapBytes, long rssBytes, Percentiles join,
                Percentiles probe) {
    }

    /**
     * @param target          sessions asked for
     * @param held            sessions open at the end
     * @param heldBeforeLatencyBroke the most sessions with the probe's latency holding (0: broke at the first step)
     * @param stoppedBecause  why the ramp ended
     * @param baselineHeapBytes live heap with only the probe connected
     * @param baselineRssBytes  RSS with only the probe connected
     * @param steps           the ramp
     * @param descriptorLimit this machine's open-files limit, which bounds WebSocket sessions per process
     */
    record Result(int target, int held, int heldBeforeLatencyBroke, String stoppedBecause, long baselineHeapBytes, long baselineRssBytes,
                  List<Step> steps, long descriptorLimit) implements Report.IdleResult {
        /** Heap per session: growth from the baseline over the sessions added. */
        double heapPerSession() {
            Step last = steps.getLast();
            return (double) (last.liveHeapBytes() - baselineHeapBytes) / last.sessions();
        }

        double rssPerSession() {
            Step last = steps.getLast();
            return (double) (last.rssBytes() - baselineRssBytes) / last.sessions();
        }

        @Override
        public String markdown() {
            StringBuilder md = new StringBuilder(String.format(
                    "Idle sessions: %,d held (asked for %,d; %s); latency held up to %,d. Each session is open, in "
                    + "a room of two and answering heartbeats. Open-files limit of this machine: %,d per process, so WebSocket sessions stop "
                    + "%,d short of it and the rest are gRPC streams, %d per HTTP/2 connection. A probe of %d pairs "
                    + "relays %,.0f signals/s throughout; latency breaks when its p99 passes %.0f ms twice in a row.%n%n",
                    held, target, stoppedBecause, heldBeforeLatencyBroke, descriptorLimit,
                    DESCRIPTORS_SPARE, Protocols.GRPC_STREAMS_PER_CHANNEL, PROBE_PAIRS, PROBE_RATE, BROKEN_P99_MS));
            if (steps.isEmpty()) {
                return md.toString();
            }
            md.append(String.format("Per session: **%.1f KiB heap** (live, after a full GC), %.1f KiB RSS; "
                                    + "baseline %,d KiB heap, %,d KiB RSS.%n%n", heapPerSession() / 1024,
                                    rssPerSession() / 1024, baselineHeapBytes / 1024, baselineRssBytes / 1024));
            md.append("| Sessions | WebSocket | gRPC | Live heap (MiB) | RSS (MiB) | Join p50 / p99 (ms) "
                      + "| Probe p50 / p99 (ms) |\n|--:|--:|--:|--:|--:|--:|--:|\n");
            for (Step step : steps) {
                md.append(String.format("| %,d | %,d | %,d | %,d | %,d | %.2f / %.2f | %.2f / %.2f |%n",
                                        step.sessions(), step.webSocket(), step.grpc(),
                                        step.liveHeapBytes() / (1024 * 1024), step.rssBytes() / (1024 * 1024),
                                        step.join().p50(), step.join().p99(), step.probe().p50(),
                                        step.probe().p99()));
            }
            return md.toString();
        }

        @Override
        public void aim(StringBuilder md) {
            boolean measured = !steps.isEmpty();
            Report.aim(md, "the idle-session ramp reaches 20,000 sessions at ≤ 35 KiB heap each",
                       measured ? String.format("%,d held, %.1f KiB heap each", held, heapPerSession() / 1024)
                                : "not measured",
                       measured && held >= 20_000 && heapPerSession() <= 35 * 1024);
        }
    }

    private IdleCapacity() {
    }

    static Result measure(Path repository, Path out, int target, int step, boolean profile)
            throws IOException, InterruptedException {
        long descriptorLimit = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        int webSocketLimit = (int) Math.max(0, descriptorLimit - DESCRIPTORS_SPARE);
        System.out.println("== Switchboard idle sessions: up to " + target + " in steps of " + step
                           + " (WebSocket up to " + webSocketLimit + ", then gRPC streams)");
        Workload.Settings probeSettings = new Workload.Settings(PROBE_PAIRS, Duration.ofSeconds(1),
                                                                Duration.ofSeconds(3), 1, 16);
        int opened = 0;
        try (ServerProcess server = Target.Server.SWITCHBOARD.start(repository, out, "idle-sessions", profile);
             Protocol probeProtocol = Protocols.named("switchboard-ws-json", server.port(), 1);
             Protocol webSockets = Protocols.named("switchboard-ws-json", server.port(), 2);
             Protocol grpc = Protocols.named("switchboard-grpc-shared", server.port(), 2);
             Workload probe = new Workload(probeProtocol, probeSettings, server::cpuNanos)) {
            probe.open("probe");
            probe.paced(PROBE_RATE);
            long baselineHeap = server.liveHeapBytes();
            long baselineRss = server.rssBytes();
            List<Step> steps = new ArrayList<>();
            int webSocket = 0;
            int grpcSessions = 0;
            String stopped = "reached the target";
            int latencyHeld = -1;
            try {
                while (webSocket + grpcSessions < target) {
                    int adding = Math.min(step, target - webSocket - grpcSessions) & ~1;
                    boolean overWebSocket = webSocket + adding <= webSocketLimit;
                    Workload sessions = new Workload(overWebSocket ? webSockets : grpc,
                                                     new Workload.Settings(adding / 2, Duration.ZERO, Duration.ZERO,
                                                                           1, 64),
                                                     server::cpuNanos);
                    Percentiles join = Percentiles.of(sessions.open("idle" + ++opened));
                    if (overWebSocket) {
                        webSocket += adding;
                    } else {
                        grpcSessions += adding;
                    }
                    Percentiles latency = Percentiles.of(probe.paced(PROBE_RATE).latency());
                    if (latency.p99() > BROKEN_P99_MS) {
                        latency = Percentiles.of(probe.paced(PROBE_RATE).latency());
                    }
                    Step done = new Step(webSocket + grpcSessions, webSocket, grpcSessions, server.liveHeapBytes(),
                                         server.rssBytes(), join, latency);
                    steps.add(done);
                    System.out.printf("   %,d sessions (%,d WebSocket, %,d gRPC): heap %,d KiB, RSS %,d KiB, "
                                      + "join %s; probe %s%n", done.sessions(), webSocket, grpcSessions,
                                      done.liveHeapBytes() / 1024, done.rssBytes() / 1024, join, latency);
                    if (latency.p99() > BROKEN_P99_MS && latencyHeld < 0) {
                        latencyHeld = steps.size() > 1 ? steps.get(steps.size() - 2).sessions() : 0;
                    }
                    if (sessions.problemCount() > 0 || probe.problemCount() > 0) {
                        stopped = "problems: " + sessions.problems() + " " + probe.problems();
                        break;
                    }
                }
            } catch (RuntimeException e) {
                stopped = "sessions could not be opened: " + e;
            }
            int held = webSocket + grpcSessions;
            Result result = new Result(target, held, latencyHeld < 0 ? held : latencyHeld, stopped, baselineHeap, baselineRss, steps,
                                       descriptorLimit);
            if (!steps.isEmpty()) {
                System.out.printf("   held %,d sessions (%s), latency held up to %,d: %,.0f bytes heap and %,.0f "
                                  + "bytes RSS per session%n", result.held(), stopped, result.heldBeforeLatencyBroke(),
                                  result.heapPerSession(), result.rssPerSession());
            }
            return result;
        }
    }
}
