package dev.switchboard.server.transport;

/**
 * Why the server closes a connection. Transports map each cause to their own vocabulary (a WebSocket close
 * code, a gRPC status).
 */
public enum CloseCause {
    /** The session ended normally. */
    NORMAL,
    /** A newer session of the same user took over. */
    REPLACED,
    /** The peer read too slowly; its outbound queue overflowed. */
    SLOW_CONSUMER,
    /** The server is shutting down. */
    SHUTDOWN,
    /** Nothing arrived from the peer within the heartbeat timeout. */
    HEARTBEAT_TIMEOUT,
    /** The session was resumed on another connection; this one is stale. */
    RESUMED_ELSEWHERE,
    /** No hello arrived within {@code limits.hello-timeout} of connecting. */
    HELLO_TIMEOUT,
    /** The server holds {@code limits.max-sessions} sessions. */
    SERVER_FULL,
    /** A message larger than {@code limits.max-message-bytes} arrived. */
    MESSAGE_TOO_LARGE,
    /** An operator disconnected the session (admin API). */
    REMOVED
}
