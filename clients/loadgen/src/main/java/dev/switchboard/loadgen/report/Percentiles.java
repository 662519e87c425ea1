package dev.switchboard.loadgen.report;

import org.HdrHistogram.Histogram;

/** A latency distribution in milliseconds. */
public record Percentiles(long count, double p50, double p90, double p99, double p999, double max) {
    public static Percentiles of(Histogram nanos) {
        return new Percentiles(nanos.getTotalCount(), ms(nanos.getValueAtPercentile(50)),
                               ms(nanos.getValueAtPercentile(90)), ms(nanos.getValueAtPercentile(99)),
                               ms(nanos.getValueAtPercentile(99.9)), ms(nanos.getMaxValue()));
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    @Override
    public String toString() {
        return String.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (n=%d)",
                             p50, p90, p99, p999, max, count);
    }
}
