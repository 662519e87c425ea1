package dev.switchboard.server.ice;

import java.util.Map;

import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertTrue(error.getMessage().contains("TURN_USERNAME"), error.getMessage());
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
