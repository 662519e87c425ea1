package dev.switchboard.server.ice;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * STUN and TURN servers from configuration ({@code stun.*}, {@code turn.*}).
 *
 * @param stunUrls STUN server URLs
 * @param turn     the TURN servers and how their credentials are made, when configured
 */
public record IceSettings(List<String> stunUrls, Optional<Turn> turn) {
    /** The longest TURN REST credential lifetime accepted ({@code turn.ttl}). */
    public static final Duration MAX_TTL = Duration.ofHours(24);

    /**
     * TURN servers that share one way of authenticating.
     */
    public sealed interface Turn permits StaticTurn, RestTurn {
        /**
         * @return {@code turn:} and {@code turns:} URLs
         */
        List<String> urls();
    }

    /**
     * TURN servers with a fixed username and password, as the old gateway's {@code .env} had. Every client gets
     * the same password, for as long as it is configured.
     *
     * @param urls     {@code turn:} or {@code turns:} URLs
     * @param username TURN username
     * @param password TURN password
     */
    public record StaticTurn(List<String> urls, String username, String password) implements Turn {
        @Override
        public String toString() {
            return "StaticTurn[urls=" + urls + ", username=" + username + ", password=****]";
        }
    }

    /**
     * TURN servers that take short-lived TURN REST API credentials (coturn's {@code use-auth-secret}): each
     * client gets its own username and password, derived from a secret shared with the TURN server.
     *
     * @param urls    {@code turn:} or {@code turns:} URLs
     * @param secrets shared secrets, the one to sign with first; the others are listed while a rotation is under
     *                way (the TURN server accepts all of them) and are not used to sign
     * @param ttl     how long each credential is valid
     */
    public record RestTurn(List<String> urls, List<String> secrets, Duration ttl) implements Turn {
        /**
         * @return the secret credentials are signed with
         */
        public String signingSecret() {
            return secrets.getFirst();
        }

        @Override
        public String toString() {
            return "RestTurn[urls=" + urls + ", secrets=" + secrets.size() + " x ****, ttl=" + ttl + "]";
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
        stunUrls.forEach(url -> IceUrls.requireScheme("stun.urls (STUN_URLS)", url, "stun", "stuns"));
        return new IceSettings(stunUrls, turn(config.get("turn")));
    }

    private static Optional<Turn> turn(Config turn) {
        List<String> urls = new ArrayList<>(turnUrls(turn.get("url"), "turn.url (TURN_URL)"));
        urls.addAll(turnUrls(turn.get("urls"), "turn.urls (TURN_URLS)"));
        String username = ConfigValues.string(turn.get("username"));
        String password = ConfigValues.string(turn.get("password"));
        List<String> secrets = ConfigValues.stringList(turn.get("secret"));
        boolean isStatic = !username.isEmpty() || !password.isEmpty();

        if (urls.isEmpty()) {
            if (isStatic || !secrets.isEmpty()) {
                throw new IllegalArgumentException("TURN credentials are set (turn.username / turn.password / "
                                                           + "turn.secret) but no TURN server: set turn.url "
                                                           + "(TURN_URL)");
            }
            return Optional.empty();
        }
        if (isStatic && !secrets.isEmpty()) {
            throw new IllegalArgumentException("turn.secret (TURN_SECRET) and turn.username / turn.password "
                                                       + "(TURN_USERNAME / TURN_PASSWORD) are both set: a TURN server "
                                                       + "takes either REST API credentials or a static user, so "
                                                       + "set one of them");
        }
        if (!secrets.isEmpty()) {
            return Optional.of(new RestTurn(List.copyOf(urls), secrets, ttl(turn.get("ttl"))));
        }
        if (username.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException("turn.url (TURN_URL) is set, so set either turn.secret (TURN_SECRET, "
                                                       + "for short-lived credentials) or both turn.username "
                                                       + "(TURN_USERNAME) and turn.password (TURN_PASSWORD)");
        }
        return Optional.of(new StaticTurn(List.copyOf(urls), username, password));
    }

    private static List<String> turnUrls(Config node, String setting) {
        List<String> urls = ConfigValues.stringList(node);
        urls.forEach(url -> IceUrls.requireScheme(setting, url, "turn", "turns"));
        return urls;
    }

    /**
     * {@code turn.ttl}: whole seconds ({@code TURN_TTL=3600}) or an ISO-8601 duration ({@code PT1H}).
     */
    private static Duration ttl(Config node) {
        String value = ConfigValues.string(node);
        Duration ttl;
        try {
            ttl = value.chars().allMatch(Character::isDigit) && !value.isEmpty()
                    ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("turn.ttl (TURN_TTL) must be a number of seconds or an ISO-8601 "
                                                       + "duration such as PT4H, but is \"" + value + "\"", e);
        }
        if (ttl.toSeconds() < 1 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("turn.ttl (TURN_TTL) must be between 1 second and 24 hours "
                                                       + "(86400), but is " + value);
        }
        return Duration.ofSeconds(ttl.toSeconds());
    }
}
