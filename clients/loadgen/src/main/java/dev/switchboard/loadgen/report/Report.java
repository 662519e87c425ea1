package dev.switchboard.loadgen.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The benchmark's results as results.json (every round), results.md (the tables BENCHMARKS.md shows) and
 * chart.png; {@link #updateDocs} puts the tables and chart into BENCHMARKS.md and docs/benchmarks/.
 */
public final class Report {
    private static final String BEGIN = "<!-- results:begin (written by the benchmark) -->";
    private static final String END = "<!-- results:end -->";

    private final Object machine;
    private final Object settings;
    private final int clientThreads;
    private final Rounds rounds;
    private final IdleResult idle;
    private final String arguments;

    /**
     * @param machine  where it ran (printed with toString, serialised as is)
     * @param settings the workload's settings
     * @param rounds   every target's result in every round
     * @param idle     the idle-session ramp, or null when skipped
     */
    public Report(Object machine, Object settings, int clientThreads, Rounds rounds, IdleResult idle,
                  String arguments) {
        this.machine = machine;
        this.settings = settings;
        this.clientThreads = clientThreads;
        this.rounds = rounds;
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
        json.put("rounds", rounds.all());
        json.put("idleSessions", idle);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(),
                                                                                 json);
        Files.writeString(out.resolve("results.md"), markdown());
        Chart.draw(representative(), out.resolve("chart.png"));
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
        Chart.draw(representative(), chart);
    }

    /** The results as Markdown: the run, the main table, ratios, aims, idle sessions. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Run of ").append(LocalDate.now()).append(" on ").append(machine).append(".  \n")
                .append("Workload: ").append(settings).append(", ").append(clientThreads)
                .append(" load-generator I/O threads, ").append(rounds.count())
                .append(" rounds with the targets interleaved (each round runs every target once); figures are ")
                .append("the median over the rounds, with the lowest–highest in brackets. Arguments: `")
                .append(arguments.isBlank() ? "(defaults)" : arguments).append("`.\n\n");
        md.append(Tables.main(rounds)).append('\n');
        String backend = Tables.backend(rounds);
        if (!backend.isEmpty()) {
            md.append(backend).append('\n');
        }
        md.append(Tables.ratios(rounds)).append('\n');
        md.append(Aims.table(rounds, idle)).append('\n');
        if (idle != null) {
            md.append(idle.markdown());
        }
        return md.toString();
    }

    /** The main table, for the console. */
    public String markdownTable() {
        return Tables.main(rounds);
    }

    /** For the chart: each target's round with the median signals per core-second. */
    private List<TargetResult> representative() {
        return rounds.targets().stream().map(target -> {
            List<TargetResult> each = rounds.of(target).stream()
                    .sorted(Comparator.comparingDouble(result -> result.saturated().perServerCoreSecond())).toList();
            return each.get(each.size() / 2);
        }).toList();
    }

    /** A row of an aims table. */
    public static void aim(StringBuilder md, String aim, String measured, boolean met) {
        md.append("| ").append(aim).append(" | ").append(measured).append(" | ").append(met ? "met" : "**not met**")
                .append(" |\n");
    }

    /** What the idle-session ramp contributes to the report. */
    public interface IdleResult {
        String markdown();

        void aim(StringBuilder md);
    }
}
