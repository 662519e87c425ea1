package dev.switchboard.server.ice;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A misconfigured ICE server is a start-up error naming the setting, never a silently empty list.
 */
class IceSettingsTest {

    @Test
    void builtInDefaultsHaveOneStunServerAndNoTurn() {
        IceSettings settings = IceSettings.from(SwitchboardConfig.withOverrides(Map.of()));
        assertEquals(1, settings.stunUrls().size());
        assertTrue(settings.turn().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stun.example.org", "http://stun.example.org", "turn:turn.example.org",
            "stun:host:99999", "stun:host?transport=udp", "stun:"})
    void aMalformedStunUrlNamesTheSetting(String url) {
        var error = assertThrows(IllegalArgumentException.class,
                                 () -> IceSettings.from(SwitchboardConfig.withOverrides(Map.of("stun.urls", url))));
        assertTrue(error.getMessage().startsWith("stun.urls"), error.getMessage());
    }

    @Test
    void aMalformedTurnUrlNamesTheSetting() {
        var error = assertThrows(IllegalArgumentException.class, () -> IceSettings.from(
                SwitchboardConfig.withOverrides(Map.of("turn.url", "stun:wrong.example.org",
                                                       "turn.username", "u", "turn.password", "p"))));
        assertTrue(error.getMessage().contains("TURN_URL"), error.getMessage());
    }

    @Test
    void turnWithoutCredentialsIsRefused() {
        var error = assertThrows(IllegalArgumentException.class, () -> IceSettings.from(
                SwitchboardConfig.withOverrides(Map.of("turn.url", "turn:turn.example.org:3478"))));
        assertTrue(error.getMessage().contains("TURN_SECRET"), error.getMessage());
        assertTrue(error.getMessage().contains("TURN_USERNAME"), error.getMessage());
    }

    @Test
    void aStaticUserWithoutPasswordIsRefused() {
        var error = assertThrows(IllegalArgumentException.class, () -> IceSettings.from(
                SwitchboardConfig.withOverrides(Map.of("turn.url", "turn:turn.example.org:3478",
                                                       "turn.username", "u"))));
        assertTrue(error.getMessage().contains("TURN_PASSWORD"), error.getMessage());
    }

    @Test
    void aSecretAndAStaticUserTogetherAreRefused() {
        var error = assertThrows(IllegalArgumentException.class, () -> IceSettings.from(
                SwitchboardConfig.withOverrides(Map.of("turn.url", "turn:turn.example.org:3478",
                                                       "turn.secret", "s", "turn.username", "u",
                                                       "turn.password", "p"))));
        assertTrue(error.getMessage().contains("TURN_SECRET"), error.getMessage());
    }

    @Test
    void aSecretWithoutTurnUrlIsRefused() {
        var error = assertThrows(IllegalArgumentException.class, () -> IceSettings.from(
                SwitchboardConfig.withOverrides(Map.of("turn.secret", "s"))));
        assertTrue(error.getMessage().contains("TURN_URL"), error.getMessage());
    }

    @Test
    void restCredentialsNeedOnlyTheUrlAndTheSecret() {
        IceSettings settings = IceSettings.from(SwitchboardConfig.withOverrides(
                Map.of("turn.url", "turn:turn.example.org:3478", "turn.secret", "s1, s0")));
        var turn = assertInstanceOf(IceSettings.RestTurn.class, settings.turn().orElseThrow());
        assertEquals(List.of("turn:turn.example.org:3478"), turn.urls());
        assertEquals("s1", turn.signingSecret());
        assertEquals(Duration.ofHours(4), turn.ttl());
        assertFalse(turn.toString().contains("s1"), turn.toString());
    }

    @ParameterizedTest
    @CsvSource({"3600, PT1H", "PT30M, PT30M", "86400, PT24H", "1, PT1S"})
    void theTtlIsSecondsOrAnIsoDuration(String value, String expected) {
        IceSettings settings = IceSettings.from(SwitchboardConfig.withOverrides(
                Map.of("turn.url", "turn:turn.example.org:3478", "turn.secret", "s", "turn.ttl", value)));
        assertEquals(Duration.parse(expected), ((IceSettings.RestTurn) settings.turn().orElseThrow()).ttl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "86401", "PT25H", "-5", "four hours", "PT0.5S"})
    void aTtlOutOfRangeNamesTheSetting(String value) {
        var error = assertThrows(IllegalArgumentException.class, () -> IceSettings.from(
                SwitchboardConfig.withOverrides(Map.of("turn.url", "turn:turn.example.org:3478",
                                                       "turn.secret", "s", "turn.ttl", value))));
        assertTrue(error.getMessage().contains("TURN_TTL"), error.getMessage());
    }

    @Test
    void aMalformedUrlInTheListNamesTheSetting() {
        var error = assertThrows(IllegalArgumentException.class, () -> IceSettings.from(
                SwitchboardConfig.withOverrides(Map.of("turn.urls", "turn:ok.example.org, turn:bad host",
                                                       "turn.secret", "s"))));
        assertTrue(error.getMessage().contains("TURN_URLS"), error.getMessage());
    }

    @Test
    void credentialsWithoutTurnUrlAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> IceSettings.from(
                SwitchboardConfig.withOverrides(Map.of("turn.username", "u", "turn.password", "p"))));
    }

    @Test
    void thePasswordNeverAppearsInToString() {
        IceSettings settings = IceSettings.from(SwitchboardConfig.withOverrides(
                Map.of("turn.url", "turns:turn.example.org:5349?transport=tcp",
                       "turn.username", "u", "turn.password", "hunter2")));
        assertTrue(!settings.toString().contains("hunter2"), settings.toString());
    }
}
