package dev.switchboard.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.ice.TurnRestCredentials;
import dev.switchboard.server.testing.Coturn;
import dev.switchboard.server.testing.Coturn.Allocation;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.GetIceServersResponse;
import dev.switchboard.signaling.v1.IceServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TURN credentials from Switchboard against a real coturn: what the endpoint hands out allocates a relay, and
 * coturn refuses anything tampered, expired or signed with the wrong secret. Each accepted allocation is proven by
 * coturn's own client relaying packets; each refusal by the client failing and coturn logging a 401 for that user.
 */
class TurnCredentialsCoturnTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void credentialsFromTheEndpointAllocateARelay() throws Exception {
        try (Coturn coturn = Coturn.withSecrets("shared-secret");
             TestServer server = switchboard(coturn, "shared-secret", "3600")) {
            IceServer turn = turnServer(server, "alice");
            assertEquals(List.of(coturn.udpUrl()), turn.getUrlsList());

            Allocation allocation = coturn.allocate(turn.getUsername(), turn.getCredential());

            assertTrue(allocation.relayed(), allocation.output());
        }
    }

    @Test
    void tamperedCredentialsAreRefused() throws Exception {
        try (Coturn coturn = Coturn.withSecrets("shared-secret");
             TestServer server = switchboard(coturn, "shared-secret", "3600")) {
            IceServer turn = turnServer(server, "alice");
            String expiry = turn.getUsername().substring(0, turn.getUsername().indexOf(':'));
            String password = turn.getCredential();
            String otherPassword = (password.charAt(0) == 'A' ? "B" : "A") + password.substring(1);
            String anotherUser = expiry + ":mallory";
            String longerLife = (Long.parseLong(expiry) + 86_400) + ":alice";

            List<Allocation> allocations = coturn.allocateAll(List.of(
                    List.of(turn.getUsername(), otherPassword),     // guessed password
                    List.of(anotherUser, password),                 // someone else's name on alice's password
                    List.of(longerLife, password)));                // alice's credential, made to last longer

            for (Allocation allocation : allocations) {
                assertRefused(coturn, allocation);
            }
        }
    }

    @Test
    void expiredCredentialsAreRefused() throws Exception {
        try (Coturn coturn = Coturn.withSecrets("shared-secret");
             TestServer server = switchboard(coturn, "shared-secret", "1")) {
            GetIceServersResponse response = iceServers(server, "alice");
            IceServer turn = response.getIceServers(1);
            awaitWallClockPast(Instant.ofEpochMilli(response.getExpiresAtMs()));

            assertRefused(coturn, coturn.allocate(turn.getUsername(), turn.getCredential()));
        }
    }

    @Test
    void credentialsSignedWithAnotherSecretAreRefused() throws Exception {
        try (Coturn coturn = Coturn.withSecrets("shared-secret");
             TestServer server = switchboard(coturn, "not-the-shared-secret", "3600")) {
            IceServer turn = turnServer(server, "alice");

            assertRefused(coturn, coturn.allocate(turn.getUsername(), turn.getCredential()));
        }
    }

    /**
     * The rotation the README describes: coturn learns the new secret next to the old one; Switchboard then signs
     * with the new one; once every old credential has expired, coturn forgets the old secret.
     */
    @Test
    void aSecretRotationKeepsEveryUnexpiredCredentialWorkingUntilTheOldSecretIsRetired() throws Exception {
        IceServer beforeRotation;
        IceServer afterRotation;
        try (Coturn bothSecrets = Coturn.withSecrets("new-secret", "old-secret");
             TestServer notYetRotated = switchboard(bothSecrets, "old-secret", "3600");
             TestServer rotated = switchboard(bothSecrets, "new-secret,old-secret", "3600")) {
            beforeRotation = turnServer(notYetRotated, "alice");
            afterRotation = turnServer(rotated, "bob");
            assertEquals(TurnRestCredentials.password("new-secret", afterRotation.getUsername()),
                         afterRotation.getCredential(), "signed with the first secret");

            List<Allocation> allocations = bothSecrets.allocateAll(List.of(
                    List.of(beforeRotation.getUsername(), beforeRotation.getCredential()),
                    List.of(afterRotation.getUsername(), afterRotation.getCredential())));

            assertTrue(allocations.get(0).relayed(), "old secret during rotation: " + allocations.get(0).output());
            assertTrue(allocations.get(1).relayed(), "new secret during rotation: " + allocations.get(1).output());
        }

        try (Coturn newSecretOnly = Coturn.withSecrets("new-secret")) {
            List<Allocation> allocations = newSecretOnly.allocateAll(List.of(
                    List.of(beforeRotation.getUsername(), beforeRotation.getCredential()),
                    List.of(afterRotation.getUsername(), afterRotation.getCredential())));

            assertRefused(newSecretOnly, allocations.get(0));
            assertTrue(allocations.get(1).relayed(), "new secret after rotation: " + allocations.get(1).output());
        }
    }

    @Test
    void aStaticTurnUserFromTheOldGatewaysSettingsAllocates() throws Exception {
        try (Coturn coturn = Coturn.withUser("gateway", "gateway-password");
             TestServer server = TestServer.start(Map.of("turn.url", coturn.udpUrl(),
                                                         "turn.username", "gateway",
                                                         "turn.password", "gateway-password"))) {
            IceServer turn = turnServer(server, "alice");
            assertEquals("gateway", turn.getUsername());

            Allocation allocation = coturn.allocate(turn.getUsername(), turn.getCredential());

            assertTrue(allocation.relayed(), allocation.output());
        }
    }

    private static TestServer switchboard(Coturn coturn, String secrets, String ttl) {
        return TestServer.start(Map.of("turn.url", coturn.udpUrl(), "turn.secret", secrets, "turn.ttl", ttl));
    }

    private static IceServer turnServer(TestServer server, String userId) throws Exception {
        GetIceServersResponse response = iceServers(server, userId);
        assertEquals(2, response.getIceServersCount(), "STUN, then TURN: " + response);
        return response.getIceServers(1);
    }

    private static GetIceServersResponse iceServers(TestServer server, String userId) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                                                          + "/webrtc/ice-servers?userId=" + userId)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        GetIceServersResponse.Builder parsed = GetIceServersResponse.newBuilder();
        JsonFormat.parser().merge(response.body(), parsed);
        return parsed.build();
    }

    private static void assertRefused(Coturn coturn, Allocation allocation) {
        assertFalse(allocation.relayed(), allocation.username() + " must be refused: " + allocation.output());
        assertTrue(allocation.output().contains("Cannot complete Allocation"), allocation.output());
        assertTrue(coturn.refusedAsUnauthorized(allocation.username()),
                   "coturn should log a 401 for " + allocation.username() + ":\n" + coturn.log());
    }

    /**
     * Expiry is a point in wall-clock time, checked by coturn against its own clock: the only thing to wait for is
     * that clock passing it (coturn counts whole seconds, so one more).
     */
    private static void awaitWallClockPast(Instant expiry) throws InterruptedException {
        Instant past = expiry.plus(Duration.ofSeconds(1));
        Duration remaining = Duration.between(Instant.now(), past);
        assertTrue(remaining.compareTo(Duration.ofSeconds(5)) < 0, "a TTL of 1 s expires within seconds");
        while (Instant.now().isBefore(past)) {
            Thread.sleep(Math.max(1, Duration.between(Instant.now(), past).toMillis()));
        }
    }
}
