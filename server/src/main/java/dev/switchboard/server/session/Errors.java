package dev.switchboard.server.session;

import dev.switchboard.signaling.v1.Error;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * The protocol's errors, built in one place: every refusal a client sees is an {@code error} with a code, a
 * readable detail, the request it answers, and whether the server closes the session after it.
 */
public final class Errors {
    private Errors() {
    }

    /**
     * An error message the session goes on after.
     *
     * @param code      what went wrong
     * @param detail    readable detail
     * @param requestId the failed request's id, or empty
     * @return the message, unnumbered
     */
    public static ServerMessage.Builder message(ErrorCode code, String detail, String requestId) {
        return ServerMessage.newBuilder().setRequestId(requestId).setError(error(code, detail, requestId, false));
    }

    /**
     * An error message after which the server closes the connection.
     *
     * @param code      what went wrong
     * @param detail    readable detail
     * @param requestId the failed request's id, or empty
     * @return the message, unnumbered
     */
    public static ServerMessage.Builder fatal(ErrorCode code, String detail, String requestId) {
        return ServerMessage.newBuilder().setRequestId(requestId).setError(error(code, detail, requestId, true));
    }

    private static Error.Builder error(ErrorCode code, String detail, String requestId, boolean fatal) {
        return Error.newBuilder().setCode(code).setMessage(detail).setRequestId(requestId).setFatal(fatal);
    }
}
