package dev.switchboard.client;

import java.time.Duration;

import dev.switchboard.signaling.v1.ReconnectPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReconnectBackoffTest {
    private static final ReconnectPolicy POLICY = ReconnectPolicy.newBuilder()
            .setInitialDelayMs(200).setMultiplier(2.0).setMaxDelayMs(1_000).setJitter(0.5).build();

    @Test
    void doublesUpToTheMaximumWithoutJitterAtTheMidpoint() {
        ReconnectBackoff backoff = new ReconnectBackoff(POLICY, () -> 0.5);
        assertEquals(Duration.ofMillis(200), backoff.delayBefore(1));
        assertEquals(Duration.ofMillis(400), backoff.delayBefore(2));
        assertEquals(Duration.ofMillis(800), backoff.delayBefore(3));
        assertEquals(Duration.ofMillis(1_000), backoff.delayBefore(4));
        assertEquals(Duration.ofMillis(1_000), backoff.delayBefore(40));
    }

    @Test
    void jitterSpreadsByThatFractionEitherWay() {
        assertEquals(Duration.ofMillis(100), new ReconnectBackoff(POLICY, () -> 0.0).delayBefore(1));
        assertEquals(Duration.ofMillis(1_500), new ReconnectBackoff(POLICY, () -> 1.0).delayBefore(9));
    }
}
