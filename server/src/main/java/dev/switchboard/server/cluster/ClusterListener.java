package dev.switchboard.server.cluster;

import java.util.List;
import java.util.Optional;

import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * What other nodes tell this one, and what the cluster reads of this node's sessions; implemented by the
 * signaling core. Events are called on the cluster's reader thread, one at a time, in the order each sending node
 * sent them.
 */
public interface ClusterListener {
    /**
     * A message for a session that lives here.
     *
     * @param roomId    the room it concerns
     * @param userId    the receiving user
     * @param sessionId the receiving session
     * @param message   the message, unnumbered
     * @return false when no such session lives here (it moved or ended)
     */
    boolean deliver(String roomId, String userId, String sessionId, ServerMessage message);

    /**
     * A member on another node joined a room.
     *
     * @param roomId the room
     * @param member who
     */
    void memberJoined(String roomId, RemotePeer member);

    /**
     * A member on another node left a room.
     *
     * @param roomId the room
     * @param member who
     * @param reason why
     */
    void memberLeft(String roomId, RemotePeer member, PeerLeftReason reason);

    /**
     * A member's session moved to another node, staying in its rooms.
     *
     * @param roomIds its rooms
     * @param member  who, and where it lives now
     */
    void memberMoved(List<String> roomIds, RemotePeer member);

    /**
     * Another node resumes a session of this node: stop serving it here, quietly (its peers see no change), and
     * hand over its state as it is at that moment.
     *
     * @param userId    the session's user
     * @param sessionId the session
     * @param claimer   the node that takes it
     * @return its state, when it lived here; empty when it did not (any more)
     */
    Optional<LocalSession> release(String userId, String sessionId, String claimer);

    /**
     * A newer session of a user opened on another node: end this node's session of that user, if it is older.
     *
     * @param userId    the user
     * @param sessionId the newer session
     */
    void replaced(String userId, String sessionId);

    /**
     * This node's live sessions as the cluster stores them, read when the backend must be written again (it lost
     * this node's state, or missed writes while unreachable).
     *
     * @return them, each read now
     */
    List<LocalSession> localSessions();

    /**
     * @return what names each of this node's live sessions
     */
    List<SessionKey> sessionKeys();
}
