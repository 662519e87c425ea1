package dev.switchboard.server.ice;

import java.util.List;
import java.util.Optional;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * STUN and TURN servers from configuration ({@code stun.*}, {@code turn.*}).
 *
 * @param stunUrls STUN server URLs
 * @param turn     a TURN server with static credentials, when configured
 */
public record IceSettings(List<String> stunUrls, Optional<StaticTurn> turn) {

    /**
     * A TURN server with a fixed username and password, as the old gateway's {@code .env} had.
     *
     * @param url      {@code turn:} or {@code turns:} URL
     * @param username TURN username
     * @param password TURN password
     */
    public record StaticTurn(String url, String username, String password) {
        @Override
        public String toString() {
            return "StaticTurn[url=" + url + ", username=" + username + ", password=****]";
        }
    }

    /**
     * Binds and validates the {@code stun} and {@code turn} sections.
     *
     * @param config root configuration
     * @return the settings
     * @throws IllegalArgumentException naming the setting, when a URL is malformed or TURN is half configured
     */
    public static IceSettings from(Config config) {
        List<String> stunUrls = ConfigValues.stringList(config.get("stun.urls"));
        stunUrls.forEach(url -> IceUrls.requireScheme("stun.urls", url, "stun", "stuns"));

        String turnUrl = ConfigValues.string(config.get("turn.url"));
        String username = ConfigValues.string(config.get("turn.username"));
        String password = ConfigValues.string(config.get("turn.password"));
        Optional<StaticTurn> turn = Optional.empty();
        if (!turnUrl.isEmpty()) {
            IceUrls.requireScheme("turn.url (TURN_URL)", turnUrl, "turn", "turns");
            if (username.isEmpty() || password.isEmpty()) {
                throw new IllegalArgumentException("turn.url (TURN_URL) is set, so turn.username (TURN_USERNAME) "
                                                           + "and turn.password (TURN_PASSWORD) must be set too");
            }
            turn = Optional.of(new StaticTurn(turnUrl, username, password));
        } else if (!username.isEmpty() || !password.isEmpty()) {
            throw new IllegalArgumentException("turn.username / turn.password are set but turn.url (TURN_URL) is not");
        }
        return new IceSettings(stunUrls, turn);
    }
}
