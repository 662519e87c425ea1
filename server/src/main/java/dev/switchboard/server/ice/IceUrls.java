package dev.switchboard.server.ice;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks STUN/TURN URLs (RFC 7064, RFC 7065) well enough to catch configuration mistakes at start-up.
 */
final class IceUrls {
    // scheme ":" host [":" port] ["?transport=" udp|tcp]; host may be a bracketed IPv6 literal
    private static final Pattern URL = Pattern.compile(
            "^(stuns?|turns?):(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+)(:\\d{1,5})?(\\?transport=(udp|tcp))?$");

    private IceUrls() {
    }

    static void requireScheme(String setting, String url, String... schemes) {
        var matcher = URL.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(setting + ": '" + url + "' is not a STUN/TURN URL "
                                                       + "(expected e.g. turn:turn.example.org:3478?transport=udp)");
        }
        if (!Set.of(schemes).contains(matcher.group(1))) {
            throw new IllegalArgumentException(setting + ": '" + url + "' must use " + String.join(" or ", schemes));
        }
        if (matcher.group(4) != null && matcher.group(1).startsWith("stun")) {
            throw new IllegalArgumentException(setting + ": '" + url + "': STUN URLs take no ?transport");
        }
        if (matcher.group(3) != null && Integer.parseInt(matcher.group(3).substring(1)) > 65535) {
            throw new IllegalArgumentException(setting + ": '" + url + "' has a port above 65535");
        }
    }
}
