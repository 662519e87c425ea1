package dev.switchboard.server.session;

/**
 * The outcome of attaching a session's stream to a new connection ({@link OutboundStream#attach}).
 *
 * @param outcome  what happened
 * @param previous the outbox of the connection the stream was still attached to, which the caller should close;
 *                 null when there was none
 */
public record Attachment(Outcome outcome, Outbox previous) {
    /** What {@link OutboundStream#attach} did. */
    public enum Outcome {
        /** Attached; welcome and replay are queued. */
        RESUMED,
        /** The session has ended. */
        ENDED,
        /** The session's buffer overflowed while it was detached; it is ending. */
        OVERFLOWED,
        /** The buffer no longer holds every message the client missed. */
        GAP,
        /** The client claims messages beyond the last one sent: a client bug; the session is untouched. */
        AHEAD
    }
}
