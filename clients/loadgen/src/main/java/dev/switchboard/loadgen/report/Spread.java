package dev.switchboard.loadgen.report;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One figure over the benchmark's rounds: its median and its range. The machine is noisy (±20–50% from run to
 * run), so a single run proves little; the median of interleaved rounds, with the spread shown, does.
 *
 * @param median the median
 * @param min    the lowest
 * @param max    the highest
 * @param rounds how many rounds it is over
 */
public record Spread(double median, double min, double max, int rounds) {
    /**
     * @param values the figure in each round
     * @return its spread
     */
    public static Spread of(List<Double> values) {
        List<Double> sorted = values.stream().filter(value -> !value.isNaN()).sorted().toList();
        if (sorted.isEmpty()) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Spread(median, sorted.getFirst(), sorted.getLast(), n);
    }

    /**
     * @param rounds the rounds' results of one target
     * @param figure what to take of each
     * @return its spread
     */
    public static Spread of(List<TargetResult> rounds, ToDoubleFunction<TargetResult> figure) {
        return of(rounds.stream().map(figure::applyAsDouble).toList());
    }

    /**
     * @param format how to print one number, e.g. {@code %,.0f}
     * @return "median (min–max)", or just the median over one round
     */
    public String format(String format) {
        if (rounds == 0) {
            return "n/a";
        }
        String m = String.format(format, median);
        return rounds == 1 ? m : m + " (" + String.format(format, min) + "–" + String.format(format, max) + ")";
    }
}
