package dev.switchboard.server.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start-up refuses an auth configuration that could not work, naming the setting; room patterns match. */
class AuthSettingsTest {
    private static AuthSettings settings(Map<String, String> overrides) {
        return AuthSettings.from(SwitchboardConfig.withOverrides(overrides));
    }

    @Test
    void theDefaultIsNoAuthentication() {
        assertEquals(AuthSettings.Mode.NONE, settings(Map.of()).mode());
    }

    @Test
    void badSettingsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(Map.of("auth.mode", "basic")))
                           .getMessage().contains("AUTH_MODE"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> settings(Map.of("auth.mode", "jwt")))
                           .getMessage().contains("AUTH_JWT_SECRET"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                                () -> settings(Map.of("auth.mode", "jwt", "auth.jwt.secret", "too short")))
                           .getMessage().contains("32 bytes"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                                () -> settings(Map.of("auth.mode", "jwt", "auth.jwt.jwks-file", "/nonexistent.json")))
                           .getMessage().contains("auth.jwt.jwks-file"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                                () -> settings(Map.of("auth.mode", "jwt", "auth.jwt.jwks-url", "ftp://keys")))
                           .getMessage().contains("jwks-url"));
    }

    @Test
    void roomPatternsMatchWholeIdsWithStarsForAnyRun() {
        Identity identity = new Identity("u", Optional.of(List.of("team-*", "lobby", "*-public", "a*b*c")),
                                         Optional.empty());
        assertTrue(identity.mayJoin("team-blue"));
        assertTrue(identity.mayJoin("team-"));
        assertTrue(identity.mayJoin("lobby"));
        assertTrue(identity.mayJoin("news-public"));
        assertTrue(identity.mayJoin("a-x-b-y-c"));
        assertTrue(identity.mayJoin("abc"));
        assertFalse(identity.mayJoin("lobby-2"));
        assertFalse(identity.mayJoin("my-team-blue"));
        assertFalse(identity.mayJoin("public"));
        assertFalse(identity.mayJoin("acb"));
        assertTrue(Identity.unverified("u").mayJoin("anything"));
    }
}
