package dev.switchboard.loadgen.report;

/**
 * Everything measured against one server.
 *
 * @param target        the benchmark's id of it
 * @param label         what it is
 * @param peers         simulated peers
 * @param join          connecting to being in the room (PeerJS: to OPEN)
 * @param offerToAnswer offer sent to answer received, during negotiation (none against the echo)
 * @param saturated     the relay as fast as the server takes it
 * @param paced         the relay at the common paced rate
 * @param serverRssBytes the server's resident memory at the end
 * @param acked         signals the server acknowledged as relayed (Switchboard only)
 * @param refused       signals the server acknowledged as not relayed (Switchboard only; should be 0)
 * @param problems      errors and broken connections seen (should be 0), with the first few
 * @param backendCommandsPerSignal commands the shared backend (the cluster's Redis) processed per signal relayed
 *                      in the saturated phase, all commands counted (heartbeats, mirrors, reads); NaN without one
 * @param backendMicrosPerSignal CPU the shared backend's process used per signal relayed in the saturated phase, in
 *                      microseconds; NaN without one
 */
public record TargetResult(String target, String label, int peers, Percentiles join, Percentiles offerToAnswer,
                           RelayResult saturated, RelayResult paced, long serverRssBytes, long acked, long refused,
                           String problems, double backendCommandsPerSignal, double backendMicrosPerSignal) {
}
