package dev.switchboard.server.cluster;

/**
 * A room member whose session lives on another node.
 *
 * @param userId    the member
 * @param sessionId its session
 * @param nodeId    the node the session lives on
 */
public record RemotePeer(String userId, String sessionId, String nodeId) {
}
