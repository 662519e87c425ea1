package dev.switchboard.server.ice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.signaling.v1.IceServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each kind of TURN setting hands to a peer.
 */
class IceServerProviderTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00.250Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void restCredentialsAreSignedWithTheFirstSecretForEachUser() {
        IceServerProvider provider = provider(Map.of(
                "stun.urls", "stun:127.0.0.1:3478",
                "turn.url", "turn:127.0.0.1:3478?transport=udp",
                "turn.urls", "turn:127.0.0.1:3478?transport=tcp, turns:127.0.0.1:5349?transport=tcp",
                "turn.secret", "new-secret, old-secret",
                "turn.ttl", "3600"));

        IceServerList alice = provider.serversFor("alice");

        assertEquals(2, alice.servers().size());
        assertEquals(List.of("stun:127.0.0.1:3478"), alice.servers().getFirst().getUrlsList());
        IceServer turn = alice.servers().get(1);
        assertEquals(List.of("turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp",
                             "turns:127.0.0.1:5349?transport=tcp"), turn.getUrlsList());
        // valid for at least the TTL, in whole seconds
        Instant expiry = Instant.parse("2026-11-24T11:00:01Z");
        assertEquals(expiry.getEpochSecond() + ":alice", turn.getUsername());
        assertEquals(TurnRestCredentials.password("new-secret", turn.getUsername()), turn.getCredential());
        assertEquals(expiry.toEpochMilli(), alice.expiresAtMs());
        assertEquals(Duration.ofHours(1), alice.ttl());
        assertEquals(3600, alice.toResponse().getTtl());

        IceServer bob = provider.serversFor("bob").servers().get(1);
        assertEquals(expiry.getEpochSecond() + ":bob", bob.getUsername());
        assertNotEquals(turn.getCredential(), bob.getCredential());
    }

    @Test
    void staticCredentialsAreTheSameForEveryoneAndNeverExpire() {
        IceServerProvider provider = provider(Map.of(
                "turn.url", "turn:127.0.0.1:3478", "turn.username", "gateway", "turn.password", "pw"));

        IceServerList servers = provider.serversFor("alice");

        assertEquals(servers.servers(), provider.serversFor("bob").servers());
        assertEquals("gateway", servers.servers().get(1).getUsername());
        assertTrue(servers.expiresAt().isEmpty());
        assertEquals(0, servers.expiresAtMs());
        assertEquals(0, servers.toResponse().getTtl());
    }

    private static IceServerProvider provider(Map<String, String> settings) {
        return new IceServerProvider(IceSettings.from(SwitchboardConfig.withOverrides(settings)), CLOCK);
    }
}
