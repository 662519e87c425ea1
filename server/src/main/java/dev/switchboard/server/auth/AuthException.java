package dev.switchboard.server.auth;

import dev.switchboard.signaling.v1.ErrorCode;

/** A credential was refused; {@link #code} is what the client is told. */
public final class AuthException extends Exception {
    private final ErrorCode code;

    /**
     * @param code   UNAUTHENTICATED or PERMISSION_DENIED
     * @param detail readable detail, safe to send to the client (never the token)
     */
    public AuthException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    /**
     * @return the error code for the client
     */
    public ErrorCode code() {
        return code;
    }
}
