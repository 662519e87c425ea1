package dev.switchboard.loadgen.report;

import java.util.function.ToDoubleBiFunction;

/**
 * The aims the benchmark checks (issues 16 and 17), each with the median measured and whether it is met.
 */
final class Aims {
    private static final double MIB = 1024.0 * 1024;

    private Aims() {
    }

    static String table(Rounds rounds, Report.IdleResult idle) {
        StringBuilder md = new StringBuilder("The aims, met when the median over the rounds meets them:\n\n"
                                             + "| Aim | Measured | |\n|---|---|---|\n");
        perCore(md, rounds, "switchboard-ws-json", 1.5);
        perCore(md, rounds, "switchboard-ws-binary", 2.0);
        perCore(md, rounds, "switchboard-grpc", 1.2);
        for (String ours : Tables.SWITCHBOARD) {
            ratio(md, rounds, ours, "peerjs", Tables::saturated, 1.0, true, "saturated throughput");
        }
        ratio(md, rounds, "switchboard-ws-json", "floor", Tables::perCore, 0.8, true, "signals per core-second");
        ratio(md, rounds, "switchboard-ws-binary", "floor", Tables::perCore, 0.8, true, "signals per core-second");
        for (String ours : Tables.SWITCHBOARD) {
            ratio(md, rounds, ours, "peerjs", Tables::pacedP99, 1.0, false, "paced p99");
            if (rounds.ran(ours)) {
                Spread p50 = Spread.of(rounds.of(ours), result -> result.paced().latency().p50());
                Report.aim(md, label(rounds, ours) + ": paced p50 ≤ 2 ms", p50.format("%.2f") + " ms",
                           p50.median() <= 2);
            }
            ratio(md, rounds, ours, "peerjs", Tables::joinP50, 1.0, false, "join p50");
            ratio(md, rounds, ours, "peerjs", Tables::negotiationP50, 1.0, false, "offer→answer p50");
            if (rounds.ran(ours)) {
                Spread rss = Spread.of(rounds.of(ours), result -> result.serverRssBytes() / MIB);
                Report.aim(md, label(rounds, ours) + ": RSS at " + rounds.of(ours).getFirst().peers()
                                   + " peers ≤ 256 MiB", rss.format("%,.0f") + " MiB", rss.median() <= 256);
            }
        }
        cluster(md, rounds);
        // issue 18: the old gateway's browser code on Switchboard against the cheapest Socket.IO relay
        ratio(md, rounds, "switchboard-socketio", "socketio", Tables::perCore, 2.0, true,
              "signals per server core-second");
        if (idle != null) {
            idle.aim(md);
        }
        return md.toString();
    }

    private static void perCore(StringBuilder md, Rounds rounds, String ours, double aim) {
        ratio(md, rounds, ours, "peerjs", Tables::perCore, aim, true, "signals per server core-second");
    }

    /** Issue 17: the cluster against a single node on the same wire form, in the same rounds. */
    private static void cluster(StringBuilder md, Rounds rounds) {
        String cluster = "switchboard-cluster";
        String single = "switchboard-ws-binary";
        ratio(md, rounds, cluster, single, Tables::perCore, 0.5, true,
              "signals per server core-second (nodes + Redis)");
        ratio(md, rounds, cluster, single, Tables::saturated, 0.5, true, "saturated throughput");
        ratio(md, rounds, cluster, single, Tables::pacedP99, 2.0, false, "paced p99");
    }

    /**
     * @param atLeast true: the ratio must reach {@code aim}; false: it must not exceed it
     */
    private static void ratio(StringBuilder md, Rounds rounds, String ours, String theirs,
                              ToDoubleBiFunction<TargetResult, TargetResult> figure, double aim,
                              boolean atLeast, String what) {
        if (!rounds.ran(ours) || !rounds.ran(theirs)) {
            return;
        }
        Spread ratio = rounds.ratio(ours, theirs, figure);
        boolean met = atLeast ? ratio.median() >= aim : ratio.median() <= aim;
        Report.aim(md, label(rounds, ours) + ": " + what + " " + (atLeast ? "≥ " : "≤ ") + aim + "× "
                           + label(rounds, theirs) + "'s", Tables.times(ratio), met);
    }

    private static String label(Rounds rounds, String target) {
        return rounds.of(target).getFirst().label();
    }
}
