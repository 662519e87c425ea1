package dev.switchboard.server.ice;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The TURN REST API credential format, pinned against vectors computed independently with
 * {@code echo -n "$username" | openssl dgst -sha1 -hmac "$secret" -binary | base64}.
 */
class TurnRestCredentialsTest {
    private static final Instant EXPIRY = Instant.ofEpochSecond(1_700_000_000L);

    @Test
    void usernameIsExpiryColonUser() {
        assertEquals("1700000000:alice", TurnRestCredentials.username(EXPIRY, "alice"));
    }

    @Test
    void usernameWithoutUserIsTheExpiryAlone() {
        assertEquals("1700000000", TurnRestCredentials.username(EXPIRY, ""));
    }

    @Test
    void fractionsOfASecondAreDropped() {
        assertEquals("1700000000:alice", TurnRestCredentials.username(EXPIRY.plusMillis(999), "alice"));
    }

    @Test
    void passwordIsBase64OfHmacSha1OfTheUsername() {
        assertEquals("Cd/49soE35ICqcJF/bCTn8Z4OyE=", TurnRestCredentials.password("north", "1700000000:alice"));
        assertEquals("CWyHi3zCeWqXBir9thl4m+iZPRY=", TurnRestCredentials.password("north", "1700000000"));
    }
}
