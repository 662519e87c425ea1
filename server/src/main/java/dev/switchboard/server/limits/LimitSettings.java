package dev.switchboard.server.limits;

import java.time.Duration;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * Bounds on what one client may send and hold ({@code limits.*}): anyone can open a socket to a signaling
 * server, so nothing a client sends may grow without bound.
 *
 * @param maxMessageBytes   largest WebSocket message or gRPC message; a larger one closes the connection
 * @param maxSdpBytes       largest offer or answer SDP (UTF-8 bytes)
 * @param maxCandidateBytes largest ICE candidate line
 * @param helloTimeout      a connection with no session this long after connecting is closed
 * @param rate              messages per second a session may send, sustained
 * @param burst             messages a session may send at once
 * @param peersPerRoom      members a room may have
 * @param roomsPerSession   rooms one session may be in
 * @param maxSessions       sessions the server holds at once (0 = no limit)
 * @param bufferBudget      bytes of messages held for all clients together: replay buffers and write queues
 * @param requestTimeout    a connection must complete each HTTP request head (or its upgrade) within this long
 *                          of connecting, or of its previous response
 * @param pendingPerAddress connections one remote address may hold open before they have a complete request,
 *                          a session or an HTTP/2 stream
 */
public record LimitSettings(int maxMessageBytes,
                            int maxSdpBytes,
                            int maxCandidateBytes,
                            Duration helloTimeout,
                            double rate,
                            int burst,
                            int peersPerRoom,
                            int roomsPerSession,
                            int maxSessions,
                            long bufferBudget,
                            Duration requestTimeout,
                            int pendingPerAddress) {
    /**
     * Heap a session may cost outside the buffer budget, with a margin: the benchmark's idle-session ramp
     * measures about 35 KiB (connection buffers, parked threads, session state), and its replay buffer and write
     * queue may each hold 16 KiB without charging the budget.
     */
    public static final long SESSION_HEAP_BYTES = 80 * 1024;

    /**
     * @throws IllegalArgumentException when the timeout is zero (a connection could then never say hello)
     */
    public LimitSettings {
        if (helloTimeout.isZero()) {
            throw new IllegalArgumentException("limits.hello-timeout must be positive");
        }
        if (requestTimeout.isZero()) {
            throw new IllegalArgumentException("limits.request-timeout must be positive");
        }
    }

    /**
     * Binds the {@code limits} section.
     *
     * @param config root configuration
     * @return the settings
     */
    public static LimitSettings from(Config config) {
        return from(config, Runtime.getRuntime().maxMemory());
    }

    /**
     * Binds the {@code limits} section for a given heap: {@code auto} sizes the buffer budget to a quarter of the
     * heap, and the session limit to what the rest holds at {@link #SESSION_HEAP_BYTES} each.
     *
     * @param config  root configuration
     * @param maxHeap the JVM's maximum heap, bytes
     * @return the settings
     */
    public static LimitSettings from(Config config, long maxHeap) {
        Config limits = config.get("limits");
        long budget = ConfigValues.numberOrAuto(limits.get("buffer-budget"), 64L << 10, 1L << 40, maxHeap / 4);
        long sessionsFit = Math.max(100, (maxHeap - budget) * 3 / 4 / SESSION_HEAP_BYTES);
        return new LimitSettings((int) ConfigValues.number(limits.get("max-message-bytes"), 1024, 16 << 20),
                                 (int) ConfigValues.number(limits.get("max-sdp-bytes"), 256, 16 << 20),
                                 (int) ConfigValues.number(limits.get("max-candidate-bytes"), 64, 1 << 20),
                                 ConfigValues.duration(limits.get("hello-timeout")),
                                 ConfigValues.decimal(limits.get("rate"), 0.1, 1e9),
                                 (int) ConfigValues.number(limits.get("burst"), 1, 1_000_000_000),
                                 (int) ConfigValues.number(limits.get("peers-per-room"), 2, 1_000_000),
                                 (int) ConfigValues.number(limits.get("rooms-per-session"), 1, 1_000_000),
                                 (int) ConfigValues.numberOrAuto(limits.get("max-sessions"), 0, 100_000_000,
                                                                 Math.min(sessionsFit, 100_000_000)),
                                 budget,
                                 ConfigValues.duration(limits.get("request-timeout")),
                                 (int) ConfigValues.number(limits.get("pending-connections-per-address"), 1,
                                                           1_000_000));
    }
}
