package dev.switchboard.server.auth;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Start-up refuses an auth configuration that could not work, naming the setting; room patterns match; a token's
 * profile claims become the identity's profile.
 */
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
                                         Optional.empty(), Map.of());
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

    @Test
    void aProfileHoldsTheNamedClaimsThatAreDisplayFieldsInTheirConfiguredOrder() throws Exception {
        String secret = "a shared secret of at least 32 bytes, for HS256";
        Authenticator authenticator = Authenticator.create(settings(Map.of(
                "auth.mode", "jwt", "auth.jwt.secret", secret,
                "auth.jwt.profile-claims", "picture, name, avatar, username, level, email, missing")));
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .subject("ada")
                .expirationTime(new Date(System.currentTimeMillis() + 60_000))
                .claim("name", "Ada Lovelace")
                .claim("picture", "https://example.test/ada.png")
                .claim("avatar", Map.of("url", "https://example.test/a.png"))      // not a display field
                .claim("username", "a".repeat(Identity.MAX_PROFILE_VALUE_CHARS + 1))  // too long to be one
                .claim("level", 7)
                .claim("email", "")
                .build());
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));

        Map<String, String> profile = authenticator.identify(jwt.serialize(), "").profile();
        assertEquals(List.of("picture", "name", "level"), List.copyOf(profile.keySet()));
        assertEquals("Ada Lovelace", profile.get("name"));
        assertEquals("7", profile.get("level"));
        assertEquals(Map.of(), Identity.unverified("ada").profile());
    }

    @Test
    void aProfileNamesAtMostSixteenClaimsAndDisplayFieldsByDefault() {
        assertEquals(List.of("name", "username", "avatar", "picture"), settings(Map.of()).profileClaims());
        assertEquals(List.of(), settings(Map.of("auth.jwt.profile-claims", "")).profileClaims());
        String seventeen = String.join(",", IntStream.range(0, 17).mapToObj(i -> "c" + i).toList());
        assertTrue(assertThrows(IllegalArgumentException.class,
                                () -> settings(Map.of("auth.jwt.profile-claims", seventeen)))
                           .getMessage().contains("auth.jwt.profile-claims"));
    }
}
