package dev.switchboard.loadgen.workload;

import java.time.Duration;
import java.util.Map;

import dev.switchboard.loadgen.peer.Protocol;
import dev.switchboard.loadgen.peer.Protocols;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The load generator against a real Switchboard on a loopback port, over each of its wire forms: every phase of
 * the benchmark's workload runs, and every signal sent arrives and is acknowledged. Checks the generator's
 * bookkeeping (what the benchmark reports as lost or refused), not speed.
 */
class WorkloadTest {
    private static final Workload.Settings SMALL = new Workload.Settings(4, Duration.ofMillis(200),
                                                                         Duration.ofSeconds(1), 4, 8);
    private static Switchboard server;

    @BeforeAll
    static void start() {
        server = Switchboard.start(SwitchboardConfig.withOverrides(Map.of("server.port", "0",
                                                                          "limits.rate", "1000000",
                                                                          "limits.burst", "1000000")));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"switchboard-ws-json", "switchboard-ws-binary", "switchboard-grpc"})
    void everySignalOfEveryPhaseArrivesAndIsAcknowledged(String protocolName) throws Exception {
        try (Protocol protocol = Protocols.named(protocolName, server.port(), 2);
             Workload workload = new Workload(protocol, SMALL, () -> 0)) {
            Histogram joins = workload.open("test-" + protocolName);
            assertEquals(SMALL.pairs() * 2, joins.getTotalCount(), "every peer joined");

            Histogram negotiation = workload.handshake();
            assertEquals(SMALL.pairs(), negotiation.getTotalCount(), "every pair got its answer");

            Workload.Relay saturated = workload.saturate();
            assertEquals(0, saturated.lost(), "saturated phase lost signals");
            assertTrue(saturated.delivered() > 0, "nothing delivered in the measured window");
            assertEquals(saturated.delivered(), saturated.latency().getTotalCount());

            Workload.Relay paced = workload.paced(400);
            assertEquals(0, paced.lost(), "paced phase lost signals");
            assertTrue(paced.delivered() > 0, "nothing delivered at 400 signals/s");

            assertEquals(0, workload.problemCount(), workload.problems());
            long[] acks = workload.acks();
            assertEquals(0, acks[1], "signals refused by the server");
            assertTrue(acks[0] >= saturated.delivered() + paced.delivered(), "signals relayed but not acked");
        }
    }
}
