package dev.switchboard.client;

/**
 * What happened to the client's connection to the server.
 */
public enum ConnectionEvent {
    /** The first session is open ({@code welcome}). */
    CONNECTED,
    /**
     * The connection dropped, or the server is going away (draining); the client is reconnecting and will resume
     * the session.
     */
    DISCONNECTED,
    /** The session was resumed on a new connection: nothing sent or received was lost. */
    RESUMED,
    /**
     * The session could not be resumed (the resume window passed, or the server restarted); a fresh one is open and
     * the client has rejoined its rooms. Peers saw it leave and come back: negotiate again. Requests that were
     * awaiting a reply failed with {@link SignalingException}.
     */
    NEW_SESSION,
    /** The client is closed, by {@link SwitchboardClient#close()} or by a fatal error; it will not reconnect. */
    CLOSED
}
