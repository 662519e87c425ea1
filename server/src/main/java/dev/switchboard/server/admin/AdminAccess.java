package dev.switchboard.server.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import dev.switchboard.server.auth.BearerToken;
import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Who may use the operator endpoints: whoever presents {@code admin.token} (env {@code ADMIN_TOKEN}) as
 * {@code Authorization: Bearer}. Without a configured token the admin API is off (404) and the monitoring view
 * ({@code /webrtc/rooms/{id}/connections}) is open, as in development.
 */
public final class AdminAccess {
    private final byte[] token;

    private AdminAccess(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Binds {@code admin.token}.
     *
     * @param config root configuration
     * @return the access rule
     * @throws IllegalArgumentException when the token is set but shorter than 16 characters
     */
    public static AdminAccess from(Config config) {
        String token = ConfigValues.string(config.get("admin.token"));
        if (!token.isEmpty() && token.length() < 16) {
            throw new IllegalArgumentException("admin.token (ADMIN_TOKEN) must be at least 16 characters");
        }
        return new AdminAccess(token);
    }

    /**
     * @return whether an admin token is configured
     */
    public boolean enabled() {
        return token.length > 0;
    }

    /**
     * Checks a request; when it is refused, the response is sent (401 with {@code WWW-Authenticate}).
     *
     * @param request  the request
     * @param response its response
     * @return whether the request may go on
     */
    public boolean allows(ServerRequest request, ServerResponse response) {
        if (!enabled()) {
            return true;
        }
        byte[] presented = BearerToken.of(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null))
                .orElse("")
                .getBytes(StandardCharsets.UTF_8);
        // constant time: the comparison must not tell how much of a guess was right
        if (MessageDigest.isEqual(presented, token)) {
            return true;
        }
        response.status(Status.UNAUTHORIZED_401)
                .header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"switchboard-admin\"")
                .send("admin token required");
        return false;
    }
}
