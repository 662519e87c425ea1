package dev.switchboard.server.auth;

import java.util.Optional;

/** The token of an {@code Authorization: Bearer <token>} header (RFC 6750), as gRPC metadata or HTTP header. */
public final class BearerToken {
    private static final String SCHEME = "bearer ";

    private BearerToken() {
    }

    /**
     * @param authorization the header's value, or null
     * @return the token, when the value is a Bearer credential
     */
    public static Optional<String> of(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(SCHEME.length()).trim()).filter(token -> !token.isEmpty());
    }
}
