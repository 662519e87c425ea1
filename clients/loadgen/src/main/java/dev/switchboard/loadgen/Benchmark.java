package dev.switchboard.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import dev.switchboard.loadgen.peer.Protocol;
import dev.switchboard.loadgen.peer.Protocols;
import dev.switchboard.loadgen.report.Percentiles;
import dev.switchboard.loadgen.report.RelayResult;
import dev.switchboard.loadgen.report.Report;
import dev.switchboard.loadgen.report.Rounds;
import dev.switchboard.loadgen.report.TargetResult;
import dev.switchboard.loadgen.server.Deployment;
import dev.switchboard.loadgen.workload.Workload;
import org.HdrHistogram.Histogram;

/**
 * The benchmark: the same workload, from the same load generator, against Switchboard (WebSocket JSON, WebSocket
 * protobuf, gRPC, a cluster of two nodes), the PeerJS server, a Socket.IO relay, the relay floor and a bare Helidon
 * WebSocket echo, each in a fresh process on a loopback port, in rounds that interleave the targets; then
 * Switchboard's idle-session capacity. Writes results.json, results.md and
 * chart.png to the output folder, and with {@code --update-docs} the table and chart in BENCHMARKS.md.
 * Run from the repository root; see BENCHMARKS.md for the command and every option.
 */
public final class Benchmark {
    private static final List<String> DEFAULT_TARGETS = List.of("switchboard-ws-json", "switchboard-ws-binary",
                                                                "switchboard-grpc", "switchboard-socketio",
                                                                "switchboard-cluster", "peerjs",
                                                                "socketio", "floor", "echo");

    private static final int WARM_UP_PAIRS = 50;
    /**
     * Sessions are opened, negotiated and closed this many times over in the warm-up unless told
     * ({@code --warm-up-rounds}): a server in production has opened thousands before any given join, and a join
     * path run a hundred times is not compiled yet.
     */
    private static final int WARM_UP_SESSION_ROUNDS = 10;

    /** The warm-up's relay phases: unmeasured, then "measured" (for nothing but the compilers' quiet). */
    private static final Duration WARM_UP_RELAY = Duration.ofSeconds(1);
    private static final Duration WARM_UP_MEASURED = Duration.ofSeconds(3);
    /** JIT compiler CPU, in cores over a saturated warm-up phase, below which a server counts as compiled. */
    private static final double QUIET_COMPILERS = 0.05;
    /** The longest the warm-up saturates waiting for the compilers to be quiet. */
    private static final Duration MAX_COMPILE_WARM_UP = Duration.ofSeconds(60);

    /** Warm-up rounds of {@link #WARM_UP_PAIRS} pairs each, before every target's measured run. */
    private static int warmUpRounds = WARM_UP_SESSION_ROUNDS;

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path repository = Path.of("").toAbsolutePath();
        Path out = repository.resolve(options.get("out", "clients/loadgen/target/benchmark"));
        Files.createDirectories(out);
        List<Target> targets = Arrays.stream(options.get("targets", String.join(",", DEFAULT_TARGETS)).split(","))
                .map(String::trim).map(Target::byId).toList();
        Workload.Settings settings = new Workload.Settings(
                options.integer("pairs", 100),
                Duration.ofSeconds(options.integer("warmup", 3)),
                Duration.ofSeconds(options.integer("seconds", 10)),
                options.integer("window", 8),
                64);
        int clientThreads = options.integer("client-threads", 2);
        boolean profile = options.flag("profile");
        // one rate for every target, so that a faster server is not paced harder
        double pacedRate = options.integer("paced-rate", 10_000);
        int roundCount = options.integer("rounds", 3);
        warmUpRounds = options.integer("warm-up-rounds", WARM_UP_SESSION_ROUNDS);
        if (warmUpRounds < 1) {     // the last warm-up round also saturates: a cold relay would be measured
            throw new IllegalArgumentException("--warm-up-rounds must be at least 1, got " + warmUpRounds);
        }
        Target.Server.switchboardJvmOptions = Path.of(options.get("server-jvm-options", "server/jvm.options"));
        if (targets.stream().anyMatch(target -> !target.isSwitchboard() && target != Target.ECHO)) {
            Anchors.install(repository.resolve("clients/loadgen/anchors"));
        }
        Machine machine = Machine.describe();
        System.out.println("Benchmark on " + machine + ": " + targets + ", " + settings);

        // another checkout, built, whose Switchboard runs beside this one's in every round: before and after a
        // change in one invocation
        Path baseline = options.get("baseline", null) == null ? null
                : Path.of(options.get("baseline", null)).toAbsolutePath();
        if (baseline != null && !Files.isRegularFile(baseline.resolve("server/target/switchboard-server.jar"))) {
            throw new IllegalArgumentException("--baseline=" + baseline + " has no built server jar"
                                               + " (server/target/switchboard-server.jar): build it there first");
        }
        Rounds rounds = new Rounds();
        for (int round = 0; round < roundCount; round++) {
            rounds.next();
            // each round starts one target later, so that no target always runs first (on a cold machine) or last
            for (int i = 0; i < targets.size(); i++) {
                Target target = targets.get((i + round) % targets.size());
                List<Build> builds = new ArrayList<>(List.of(Build.of(target, repository)));
                if (baseline != null && target.isSwitchboard()) {
                    builds.add(round % 2 == 0 ? 1 : 0, Build.baseline(target, baseline));   // each goes first in turn
                }
                for (Build build : builds) {
                    System.out.println("== round " + (round + 1) + " of " + roundCount + ": " + build.label());
                    rounds.add(run(target, build, settings, clientThreads, profile, pacedRate, out, round + 1));
                }
            }
        }
        IdleCapacity.Result idle = null;
        int idleSessions = options.integer("idle-sessions", 20_000);
        if (idleSessions > 0) {
            idle = IdleCapacity.measure(repository, out, idleSessions, options.integer("idle-step", 2_500), profile);
        }
        Report report = new Report(machine, settings, clientThreads, rounds, idle, String.join(" ", args));
        report.write(out);
        System.out.println(report.markdownTable());
        if (options.flag("update-docs")) {
            report.updateDocs(repository);
            System.out.println("Updated BENCHMARKS.md and docs/benchmarks/chart.png");
        }
    }

    /**
     * Which build of a target runs, and what the results call it.
     *
     * @param repository the checkout whose build starts (its server jar and JVM options)
     * @param id         the results' id: the target's, or with {@code @baseline}
     * @param label      the results' label
     */
    private record Build(Path repository, String id, String label) {
        static Build of(Target target, Path repository) {
            return new Build(repository, target.id, target.label);
        }

        static Build baseline(Target target, Path repository) {
            return new Build(repository, target.id + "@baseline", target.label + " (baseline: " + repository + ")");
        }
    }

    private static TargetResult run(Target target, Build build, Workload.Settings settings, int clientThreads,
                                    boolean profile, double pacedRate, Path out, int round)
            throws IOException, InterruptedException {
        try (Deployment server = target.server.deploy(build.repository(), out, build.id() + "-round" + round,
                                                      profile)) {
            warmUp(target, server, settings, clientThreads);
            return measure(target, build, server, settings, clientThreads, pacedRate);
        }
    }

    /**
     * A short run of the same workload on separate sessions first, so that every server is measured warm (JIT
     * compiled, pools filled), as servers are in production; those sessions end before the measured ones open.
     */
    private static void warmUp(Target target, Deployment server, Workload.Settings settings, int clientThreads)
            throws InterruptedException {
        Workload.Settings warmUp = new Workload.Settings(Math.min(settings.pairs(), WARM_UP_PAIRS),
                                                         WARM_UP_RELAY, WARM_UP_MEASURED,
                                                         settings.window(), settings.openConcurrency());
        try (Protocol protocol = Protocols.named(target.id, server.ports(), clientThreads)) {
            for (int round = 0; round < warmUpRounds; round++) {
                try (Workload workload = new Workload(protocol, warmUp, server::cpuNanos)) {
                    workload.open(target.id + "-warmup" + round);
                    workload.handshake();
                    if (round == warmUpRounds - 1) {
                        saturateUntilCompiled(server, workload);
                    }
                }
            }
        }
    }

    /**
     * Saturates until the JVM servers' JIT compilers are quiet, so that the measured phases see them in the steady
     * state a server in production runs in, not while C2 is still compiling: one node gets there within the
     * warm-up rounds, but the cluster's two nodes kept their compiler threads at 0.2 cores each for the first
     * 20-30 s of saturated load, a third of the cluster's CPU in a measured phase. Bounded by
     * {@link #MAX_COMPILE_WARM_UP}; a server that is not a JVM has no compiler threads and is done at once.
     */
    private static void saturateUntilCompiled(Deployment server, Workload workload) throws InterruptedException {
        long start = System.nanoTime();
        double compilerCores;
        do {
            long compiledBefore = server.compilerCpuNanos();
            long before = System.nanoTime();
            workload.saturate();
            compilerCores = (double) (server.compilerCpuNanos() - compiledBefore) / (System.nanoTime() - before);
        } while (compilerCores > QUIET_COMPILERS && System.nanoTime() - start < MAX_COMPILE_WARM_UP.toNanos());
        System.out.printf("   warmed up: %.0f s saturated, JIT compilers at %.2f cores in the last %d s%n",
                          (System.nanoTime() - start) / 1e9, compilerCores,
                          WARM_UP_RELAY.plus(WARM_UP_MEASURED).toSeconds());
    }

    private static TargetResult measure(Target target, Build build, Deployment server, Workload.Settings settings,
                                        int clientThreads, double pacedRate) throws InterruptedException {
        try (Protocol protocol = Protocols.named(target.id, server.ports(), clientThreads);
             Workload workload = new Workload(protocol, settings, server::cpuNanos)) {
            Histogram joins = workload.open(target.id);
            System.out.println("   joined " + settings.pairs() * 2 + " peers: " + Percentiles.of(joins));
            Histogram negotiation = workload.handshake();
            OptionalLong commandsBefore = server.backendCommands();
            OptionalLong backendCpuBefore = server.backendCpuNanos();
            Workload.Relay saturated = workload.saturate();
            double commandsPerSignal = perSignal(commandsBefore, server.backendCommands(), saturated);
            double backendMicrosPerSignal = perSignal(backendCpuBefore, server.backendCpuNanos(), saturated) / 1e3;
            System.out.printf("   saturated: %,.0f signals/s, server %.2f cores, client %.2f cores, %s, lost %d%n",
                              saturated.throughput(), saturated.serverCores(), saturated.clientCores(),
                              Percentiles.of(saturated.latency()), saturated.lost());
            Workload.Relay paced = workload.paced(pacedRate);
            System.out.printf("   paced at %,.0f/s: %,.0f signals/s, server %.2f cores, %s, lost %d%n",
                              paced.offeredRate(), paced.throughput(), paced.serverCores(),
                              Percentiles.of(paced.latency()), paced.lost());
            if (!Double.isNaN(commandsPerSignal)) {
                System.out.printf("   backend: %.2f commands and %.1f µs of CPU per relayed signal%n",
                                  commandsPerSignal, backendMicrosPerSignal);
            }
            long[] acks = workload.acks();
            System.out.println("   problems: " + workload.problems());
            return new TargetResult(build.id(), build.label(), settings.pairs() * 2, Percentiles.of(joins),
                                    Percentiles.of(negotiation), relay(saturated), relay(paced), server.rssBytes(),
                                    acks[0], acks[1], workload.problems(), commandsPerSignal,
                                    backendMicrosPerSignal);
        }
    }

    /** How much a counter of the backend grew per signal relayed over a phase; NaN without a backend. */
    private static double perSignal(OptionalLong before, OptionalLong after, Workload.Relay phase) {
        return before.isPresent() && after.isPresent() && phase.delivered() > 0
                ? (double) (after.getAsLong() - before.getAsLong()) / phase.delivered()
                : Double.NaN;
    }

    private static RelayResult relay(Workload.Relay relay) {
        return new RelayResult(relay.offeredRate(), relay.throughput(), Percentiles.of(relay.latency()),
                               relay.serverCores(), relay.clientCores(), relay.lost());
    }

    /** {@code --name=value} and {@code --flag} arguments. */
    private record Options(Map<String, String> values) {
        static Options parse(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (String arg : args) {
                if (arg.isBlank()) {
                    continue;
                }
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("expected --name=value or --flag, got " + arg);
                }
                int equals = arg.indexOf('=');
                values.put(equals < 0 ? arg.substring(2) : arg.substring(2, equals),
                           equals < 0 ? "true" : arg.substring(equals + 1));
            }
            return new Options(values);
        }

        String get(String name, String otherwise) {
            return values.getOrDefault(name, otherwise);
        }

        int integer(String name, int otherwise) {
            return Integer.parseInt(get(name, Integer.toString(otherwise)));
        }

        boolean flag(String name) {
            return Boolean.parseBoolean(get(name, "false"));
        }
    }

    /** The Node.js servers' packages, installed from the committed lock file when missing. */
    private static final class Anchors {
        static void install(Path anchors) throws IOException, InterruptedException {
            if (Files.isDirectory(anchors.resolve("node_modules"))) {
                return;
            }
            System.out.println("Installing the PeerJS server and Socket.IO (npm ci in " + anchors + ")");
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund")
                    .directory(anchors.toFile()).inheritIO().start();
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IOException("npm ci failed in " + anchors);
            }
        }
    }
}
