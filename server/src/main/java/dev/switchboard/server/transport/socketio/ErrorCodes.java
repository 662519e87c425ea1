package dev.switchboard.server.transport.socketio;

import dev.switchboard.signaling.v1.ErrorCode;

/**
 * Switchboard's error codes as the old gateway's five ({@code UNAUTHORIZED}, {@code BAD_REQUEST},
 * {@code NOT_FOUND}, {@code INTERNAL_ERROR}, {@code RATE_LIMITED}); the {@code error} event carries the precise
 * code beside it as {@code switchboardCode}.
 */
final class ErrorCodes {
    private ErrorCodes() {
    }

    static String legacy(ErrorCode code) {
        return switch (code) {
            case ERROR_CODE_UNAUTHENTICATED, ERROR_CODE_PERMISSION_DENIED -> "UNAUTHORIZED";
            case ERROR_CODE_NOT_IN_ROOM, ERROR_CODE_PEER_NOT_FOUND -> "NOT_FOUND";
            case ERROR_CODE_RATE_LIMITED -> "RATE_LIMITED";
            case ERROR_CODE_INVALID_MESSAGE, ERROR_CODE_HELLO_REQUIRED, ERROR_CODE_MESSAGE_TOO_LARGE,
                 ERROR_CODE_ROOM_FULL, ERROR_CODE_TOO_MANY_ROOMS, ERROR_CODE_RESUME_FAILED -> "BAD_REQUEST";
            case ERROR_CODE_INTERNAL, ERROR_CODE_CLUSTER_UNAVAILABLE, ERROR_CODE_SERVER_FULL, ERROR_CODE_DRAINING,
                 ERROR_CODE_SLOW_CONSUMER, ERROR_CODE_SESSION_REPLACED, ERROR_CODE_REMOVED,
                 ERROR_CODE_UNSPECIFIED, UNRECOGNIZED -> "INTERNAL_ERROR";
        };
    }
}
