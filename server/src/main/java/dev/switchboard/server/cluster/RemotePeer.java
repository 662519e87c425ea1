package dev.switchboard.server.cluster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A room member whose session lives on another node.
 *
 * @param userId    the member
 * @param sessionId its session
 * @param nodeId    the node the session lives on
 * @param profile   its display fields ({@code Member.profile}), from the credential its session opened with
 */
public record RemotePeer(String userId, String sessionId, String nodeId, Map<String, String> profile) {
    /**
     * @param profile copied, its order kept
     */
    public RemotePeer {
        profile = profile.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(profile));
    }

    /**
     * A member where only its whereabouts matter (a location, a membership to reap).
     *
     * @param userId    the member
     * @param sessionId its session
     * @param nodeId    the node the session lives on
     */
    public RemotePeer(String userId, String sessionId, String nodeId) {
        this(userId, sessionId, nodeId, Map.of());
    }

    /**
     * @param other another member
     * @return whether both are the same session on the same node, whatever profile either carries
     */
    public boolean sameSession(RemotePeer other) {
        return userId.equals(other.userId) && sessionId.equals(other.sessionId) && nodeId.equals(other.nodeId);
    }

    /**
     * @param node the node the session lives on now
     * @return this member, moved there
     */
    public RemotePeer movedTo(String node) {
        return new RemotePeer(userId, sessionId, node, profile);
    }
}
