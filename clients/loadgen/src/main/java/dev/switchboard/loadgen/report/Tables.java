package dev.switchboard.loadgen.report;

import java.util.List;

/**
 * The benchmark's tables: each target's figures, and Switchboard's ratios over the others.
 */
final class Tables {
    /** Switchboard's single-node wire forms. */
    static final List<String> SWITCHBOARD = List.of("switchboard-ws-json", "switchboard-ws-binary",
                                                    "switchboard-grpc");

    private Tables() {
    }

    /** Every target's figures: the median over the rounds, with the range where it matters most. */
    static String main(Rounds rounds) {
        StringBuilder md = new StringBuilder();
        md.append("| Server | Signals per server core-second | Saturated relay (signals/s) | Server CPU (cores) "
                  + "| Paced: rate, p50 / p99 / p99.9 (ms) | Join p50 (ms) | Offer→answer p50 (ms) "
                  + "| Server RSS (MiB) | Lost |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (String target : rounds.targets()) {
            List<TargetResult> each = rounds.of(target);
            TargetResult first = each.getFirst();
            md.append(String.format("| %s | %s | %s | %s | %,.0f/s: %s / %s / %s | %s | %s | %s | %d |%n",
                                    first.label(),
                                    Spread.of(each, result -> result.saturated().perServerCoreSecond()).format("%,.0f"),
                                    Spread.of(each, result -> result.saturated().throughput()).format("%,.0f"),
                                    Spread.of(each, result -> result.saturated().serverCores()).format("%.2f"),
                                    first.paced().offeredRate(),
                                    Spread.of(each, result -> result.paced().latency().p50()).format("%.2f"),
                                    Spread.of(each, result -> result.paced().latency().p99()).format("%.2f"),
                                    Spread.of(each, result -> result.paced().latency().p999()).format("%.2f"),
                                    Spread.of(each, result -> result.join().p50()).format("%.1f"),
                                    first.offerToAnswer().count() == 0 ? "n/a"
                                            : Spread.of(each, result -> result.offerToAnswer().p50()).format("%.2f"),
                                    Spread.of(each, result -> result.serverRssBytes() / (1024.0 * 1024))
                                            .format("%,.0f"),
                                    each.stream().mapToLong(result -> result.saturated().lost()
                                                                      + result.paced().lost()).sum()));
        }
        return md.toString();
    }

    /** What a cluster target's shared backend did per relayed signal, when one ran. */
    static String backend(Rounds rounds) {
        StringBuilder md = new StringBuilder();
        for (String target : rounds.targets()) {
            List<TargetResult> each = rounds.of(target);
            if (each.stream().anyMatch(result -> !Double.isNaN(result.backendCommandsPerSignal()))) {
                md.append(each.getFirst().label()).append(": Redis processed ")
                        .append(Spread.of(each, TargetResult::backendCommandsPerSignal).format("%.2f"))
                        .append(" commands per relayed signal in the saturated phase (all of them: appends, reads, "
                                + "session mirrors, heartbeats), and used ")
                        .append(Spread.of(each, TargetResult::backendMicrosPerSignal).format("%.1f"))
                        .append(" µs of its CPU per relayed signal: one Redis core carries about ")
                        .append(Spread.of(each, result -> 1e6 / result.backendMicrosPerSignal()).format("%,.0f"))
                        .append(" crossing signals per second at this load.\n");
            }
        }
        return md.toString();
    }

    /** Switchboard over the PeerJS server and the relay floor, ratio by ratio within each round. */
    static String ratios(Rounds rounds) {
        StringBuilder md = new StringBuilder(
                "Ratios, taken within each round, median (lowest–highest) over the rounds:\n\n"
                + "| Switchboard | Per core-second over PeerJS | Saturated over PeerJS | Per core-second over the "
                + "floor | Paced p99 over PeerJS's | Join p50 over PeerJS's | Offer→answer p50 over PeerJS's |\n"
                + "|---|--:|--:|--:|--:|--:|--:|\n");
        for (String ours : SWITCHBOARD) {
            if (!rounds.ran(ours)) {
                continue;
            }
            md.append("| ").append(rounds.of(ours).getFirst().label())
                    .append(" | ").append(times(rounds.ratio(ours, "peerjs", Tables::perCore)))
                    .append(" | ").append(times(rounds.ratio(ours, "peerjs", Tables::saturated)))
                    .append(" | ").append(times(rounds.ratio(ours, "floor", Tables::perCore)))
                    .append(" | ").append(times(rounds.ratio(ours, "peerjs", Tables::pacedP99)))
                    .append(" | ").append(times(rounds.ratio(ours, "peerjs", Tables::joinP50)))
                    .append(" | ").append(times(rounds.ratio(ours, "peerjs", Tables::negotiationP50)))
                    .append(" |\n");
        }
        return md.toString();
    }

    static String times(Spread ratio) {
        return ratio.rounds() == 0 ? "not run" : ratio.format("%.2f") + "×";
    }

    static double perCore(TargetResult us, TargetResult them) {
        return us.saturated().perServerCoreSecond() / them.saturated().perServerCoreSecond();
    }

    static double saturated(TargetResult us, TargetResult them) {
        return us.saturated().throughput() / them.saturated().throughput();
    }

    static double pacedP99(TargetResult us, TargetResult them) {
        return us.paced().latency().p99() / them.paced().latency().p99();
    }

    static double joinP50(TargetResult us, TargetResult them) {
        return us.join().p50() / them.join().p50();
    }

    static double negotiationP50(TargetResult us, TargetResult them) {
        return us.offerToAnswer().p50() / them.offerToAnswer().p50();
    }
}
