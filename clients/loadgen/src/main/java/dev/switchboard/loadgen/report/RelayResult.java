package dev.switchboard.loadgen.report;

/**
 * One relay phase.
 *
 * @param offeredRate  the paced rate asked for, signals/s (0 = saturated)
 * @param throughput   signals delivered per second in the measured window
 * @param latency      sender's intended send time to receipt at the target
 * @param serverCores  CPU the server used, in cores (1.0 = one core busy)
 * @param clientCores  CPU the load generator used, in cores
 * @param lost         signals sent that never arrived
 */
public record RelayResult(double offeredRate, double throughput, Percentiles latency, double serverCores,
                          double clientCores, long lost) {
    /** Signals relayed per second of server CPU: throughput with the shared machine's noise taken out. */
    public double perServerCoreSecond() {
        return serverCores == 0 ? 0 : throughput / serverCores;
    }
}
