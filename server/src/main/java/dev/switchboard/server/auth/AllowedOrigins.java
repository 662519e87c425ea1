package dev.switchboard.server.auth;

import java.util.List;
import java.util.Set;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;
import io.helidon.cors.CrossOriginConfig;
import io.helidon.webserver.cors.CorsSupport;

/**
 * The web pages that may reach the server from a browser ({@code security.allowed-origins}): a browser sends
 * the page's {@code Origin} with a WebSocket upgrade and with cross-site requests, and any page could otherwise
 * open a signaling socket with the visitor's cookies or query tokens (cross-site WebSocket hijacking). Requests
 * without an {@code Origin} (native apps, servers) are not browsers and are not affected.
 *
 * @param origins the allowed origins, e.g. {@code https://app.example.com}; empty: any
 */
public record AllowedOrigins(Set<String> origins) {
    /**
     * Binds {@code security.allowed-origins}.
     *
     * @param config root configuration
     * @return the allow-list
     * @throws IllegalArgumentException naming the setting when an entry is not an origin
     */
    public static AllowedOrigins from(Config config) {
        Config node = config.get("security.allowed-origins");
        List<String> origins = node.exists() ? ConfigValues.stringList(node) : List.of();
        for (String origin : origins) {
            if (!origin.matches("https?://[^/?#\\s]+")) {
                throw new IllegalArgumentException(node.key() + " entries must be origins such as "
                                                   + "https://app.example.com, but one is \"" + origin + "\"");
            }
        }
        return new AllowedOrigins(Set.copyOf(origins));
    }

    /**
     * @param origin the request's {@code Origin} header, or null when it has none
     * @return whether the request may proceed
     */
    public boolean permits(String origin) {
        return origin == null || origins.isEmpty() || origins.contains(origin);
    }

    /**
     * @return CORS for the REST endpoints: GET from the allowed origins (any when the list is empty), with the
     *         {@code Authorization} header
     */
    public CorsSupport cors() {
        CrossOriginConfig.Builder cors = CrossOriginConfig.builder()
                .allowMethods("GET")
                .allowHeaders("Authorization");
        if (!origins.isEmpty()) {
            cors.allowOrigins(origins.toArray(String[]::new));
        }
        return CorsSupport.builder().addCrossOrigin(cors.build()).build();
    }
}
