package dev.switchboard.server.cluster;

/**
 * What names a session's stored state.
 *
 * @param sessionId   the session
 * @param userId      its user
 * @param resumeToken its resume token
 */
public record SessionKey(String sessionId, String userId, String resumeToken) {
}
