package dev.switchboard.server.cluster;

import java.util.Map;

/**
 * A session of this node as the cluster's directory knows it.
 *
 * @param userId    its user
 * @param sessionId the session
 * @param profile   its display fields, for the room's members on other nodes
 */
public record Member(String userId, String sessionId, Map<String, String> profile) {
}
