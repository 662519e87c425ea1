package dev.switchboard.loadgen.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The benchmark's results as results.json (everything), results.md (the tables BENCHMARKS.md shows) and
 * chart.png; {@link #updateDocs} puts the tables and chart into BENCHMARKS.md and docs/benchmarks/.
 */
public final class Report {
    private static final String BEGIN = "<!-- results:begin (written by the benchmark) -->";
    private static final String END = "<!-- results:end -->";
    private static final List<String> SWITCHBOARD = List.of("switchboard-ws-json", "switchboard-ws-binary",
                                                            "switchboard-grpc");

    private final Object machine;
    private final Object settings;
    private final int clientThreads;
    private final List<TargetResult> results;
    private final IdleResult idle;
    private final String arguments;

    /**
     * @param machine  where it ran (printed with toString, serialised as is)
     * @param settings the workload's settings
     * @param idle     the idle-session ramp, or null when skipped
     */
    public Report(Object machine, Object settings, int clientThreads, List<TargetResult> results, IdleResult idle,
                  String arguments) {
        this.machine = machine;
        this.settings = settings;
        this.clientThreads = clientThreads;
        this.results = results;
        this.idle = idle;
        this.arguments = arguments;
    }

    /** Writes results.json, results.md and chart.png into {@code out}. */
    public void write(Path out) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("date", LocalDate.now().toString());
        json.put("machine", machine);
        json.put("settings", settings.toString());
        json.put("clientThreads", clientThreads);
        json.put("arguments", arguments);
        json.put("targets", results);
        json.put("idleSessions", idle);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(),
                                                                                 json);
        Files.writeString(out.resolve("results.md"), markdown());
        Chart.draw(results, out.resolve("chart.png"));
    }

    /** Replaces the results block of BENCHMARKS.md and the chart under docs/benchmarks/. */
    public void updateDocs(Path repository) throws IOException {
        Path doc = repository.resolve("BENCHMARKS.md");
        String text = Files.readString(doc);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IOException(doc + " has no results block (" + BEGIN + " ... " + END + ")");
        }
        Files.writeString(doc, text.substring(0, begin + BEGIN.length()) + "\n" + markdown() + text.substring(end));
        Path chart = repository.resolve("docs/benchmarks/chart.png");
        Files.createDirectories(chart.getParent());
        Chart.draw(results, chart);
    }

    /** The results as Markdown: the run, the main table, ratios, aims, idle sessions. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Run of ").append(LocalDate.now()).append(" on ").append(machine).append(".  \n")
                .append("Workload: ").append(settings).append(", ").append(clientThreads)
                .append(" load-generator I/O threads. Arguments: `").append(arguments.isBlank() ? "(defaults)"
                                                                              : arguments).append("`.\n\n");
        md.append(markdownTable()).append('\n');
        md.append(ratios()).append('\n');
        md.append(aims()).append('\n');
        if (idle != null) {
            md.append(idle.markdown());
        }
        return md.toString();
    }

    /** The main table. */
    public String markdownTable() {
        StringBuilder md = new StringBuilder();
        md.append("| Server | Saturated relay (signals/s) | Server CPU (cores) | Signals per server core-second "
                  + "| p99 saturated (ms) | Paced at half: p50 / p90 / p99 / p99.9 (ms) | Join p50 / p99 (ms) "
                  + "| Offer→answer p50 (ms) | Server RSS (MiB) | Lost |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (TargetResult result : results) {
            RelayResult saturated = result.saturated();
            Percentiles paced = result.paced().latency();
            md.append(String.format("| %s | %,.0f | %.2f | %,.0f | %.2f | %.2f / %.2f / %.2f / %.2f | %.2f / %.2f "
                                    + "| %s | %,d | %d |%n",
                                    result.label(), saturated.throughput(), saturated.serverCores(),
                                    saturated.perServerCoreSecond(), saturated.latency().p99(),
                                    paced.p50(), paced.p90(), paced.p99(), paced.p999(),
                                    result.join().p50(), result.join().p99(),
                                    result.offerToAnswer().count() == 0 ? "n/a"
                                            : String.format("%.2f", result.offerToAnswer().p50()),
                                    result.serverRssBytes() / (1024 * 1024),
                                    saturated.lost() + result.paced().lost()));
        }
        return md.toString();
    }

    private String ratios() {
        StringBuilder md = new StringBuilder("Ratios (saturated throughput; in brackets, per server core-second):\n\n"
                                             + "| Switchboard over | PeerJS server | Socket.IO relay | Bare echo |\n"
                                             + "|---|--:|--:|--:|\n");
        for (String ours : SWITCHBOARD) {
            Optional<TargetResult> us = find(ours);
            if (us.isEmpty()) {
                continue;
            }
            md.append("| ").append(us.get().label());
            for (String anchor : List.of("peerjs", "socketio", "echo")) {
                md.append(" | ").append(find(anchor).map(them -> String.format(
                        "%.2f× (%.2f×)", us.get().saturated().throughput() / them.saturated().throughput(),
                        us.get().saturated().perServerCoreSecond() / them.saturated().perServerCoreSecond()))
                        .orElse("not run"));
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    private String aims() {
        Optional<TargetResult> json = find("switchboard-ws-json");
        if (json.isEmpty()) {
            return "";
        }
        double ours = json.get().saturated().throughput();
        StringBuilder md = new StringBuilder("The aims (issue 4), for Switchboard over WebSocket JSON, the browsers' "
                                             + "path:\n\n| Aim | Measured | Met |\n|---|---|---|\n");
        find("peerjs").ifPresent(them -> aim(md, "≥ 3× the PeerJS server's throughput",
                                             String.format("%.2f×", ours / them.saturated().throughput()),
                                             ours >= 3 * them.saturated().throughput()));
        find("socketio").ifPresent(them -> aim(md, "≥ 3× the Socket.IO relay's throughput",
                                               String.format("%.2f×", ours / them.saturated().throughput()),
                                               ours >= 3 * them.saturated().throughput()));
        find("echo").ifPresent(them -> aim(md, "≥ 0.7× the bare echo's throughput",
                                           String.format("%.2f×", ours / them.saturated().throughput()),
                                           ours >= 0.7 * them.saturated().throughput()));
        double p99 = json.get().paced().latency().p99();
        aim(md, "p99 < 5 ms at half the maximum rate", String.format("%.2f ms at %,.0f signals/s", p99,
                                                                     json.get().paced().offeredRate()), p99 < 5);
        if (idle != null) {
            idle.aim(md);
        }
        return md.toString();
    }

    /** A row of the aims table. */
    public static void aim(StringBuilder md, String aim, String measured, boolean met) {
        md.append("| ").append(aim).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**")
                .append(" |\n");
    }

    private Optional<TargetResult> find(String target) {
        return results.stream().filter(result -> result.target().equals(target)).findFirst();
    }

    /** What the idle-session ramp contributes to the report. */
    public interface IdleResult {
        String markdown();

        void aim(StringBuilder md);
    }
}
