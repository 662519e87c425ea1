package dev.switchboard.server.cluster;

/**
 * A session of this node as the cluster's directory knows it.
 *
 * @param userId    its user
 * @param sessionId the session
 */
public record Member(String userId, String sessionId) {
}
