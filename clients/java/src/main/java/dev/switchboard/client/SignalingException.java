package dev.switchboard.client;

import dev.switchboard.signaling.v1.ErrorCode;

/**
 * A request the server refused, or one that could not complete, with the server's typed error code.
 */
public final class SignalingException extends RuntimeException {
    private final ErrorCode code;

    /**
     * @param code    the server's error code ({@code ERROR_CODE_UNSPECIFIED} when the client gave up on its own)
     * @param message readable detail
     */
    public SignalingException(ErrorCode code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /**
     * @return the server's error code
     */
    public ErrorCode code() {
        return code;
    }
}
