package dev.switchboard.server.routing;

import java.util.List;
import java.util.Optional;

import dev.switchboard.signaling.v1.ServerMessage;

/**
 * Where a message for a member of a room goes: the one place that decides whether a peer is on this node or
 * another. The relay, ICE-restart requests and messages arriving from other nodes all go through it; none of them
 * knows about nodes. {@link LocalRouter} serves a node alone; the cluster's router builds on it for members that
 * live elsewhere (the split of LiveKit's {@code LocalRouter} and {@code RedisRouter}).
 */
public interface Router {
    /**
     * @param roomId the room
     * @param userId a member's user id
     * @return the member, wherever it lives; empty when the user is not a member of the room
     */
    Optional<Recipient> find(String roomId, String userId);

    /**
     * @param roomId the room
     * @return every member of the room, wherever it lives (what a message to the whole room reaches)
     */
    List<Recipient> everyone(String roomId);

    /**
     * A message from another node for a session that lives on this one.
     *
     * @param userId    the receiving user
     * @param sessionId the receiving session
     * @param message   the message, unnumbered
     * @return false when no such session lives here (it moved or ended)
     */
    boolean deliverHere(String userId, String sessionId, ServerMessage message);
}
