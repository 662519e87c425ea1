package dev.switchboard.server.cluster;

import java.util.List;
import java.util.Optional;

import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionMirror;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * What the signaling core shares with the other nodes of its cluster: room membership, signals for peers on
 * other nodes, and session state for resuming on another node. The core calls it the same way in either mode;
 * {@link #standalone()} shares nothing and needs nothing.
 */
public interface Cluster extends AutoCloseable {
    /**
     * @return a cluster of one: this node, with everything in memory
     */
    static Cluster standalone() {
        return Standalone.INSTANCE;
    }

    /**
     * @return this node's id, unique per process
     */
    String nodeId();

    /**
     * @return whether other nodes share this one's rooms (false when standalone)
     */
    boolean shared();

    /**
     * @return whether the cluster backend can be reached now (always true when standalone)
     */
    boolean available();

    /**
     * Starts heart-beating and listening to other nodes.
     *
     * @param listener what this node does with their messages
     */
    void start(ClusterListener listener);

    /**
     * Adds a session to a room in the cluster's directory, unless the room is full, and tells the nodes of the
     * room's other members.
     *
     * @param roomId     the room
     * @param session    the joining session, which lives on this node
     * @param maxMembers members a room may have, over all nodes
     * @return whether it joined, and the members on other nodes
     * @throws ClusterUnavailableException when the backend cannot be reached; nothing changed
     */
    JoinResult join(String roomId, Session session, int maxMembers) throws ClusterUnavailableException;

    /**
     * Removes a session from a room in the directory, and tells the nodes of the remaining members. While the
     * backend is unreachable this is kept and done when it is back.
     *
     * @param roomId  the room
     * @param session the session that left
     * @param reason  why, as its peers are told
     */
    void left(String roomId, Session session, PeerLeftReason reason);

    /**
     * Hands a message to a session on another node: its node's stream, or, when that node is dead, the session's
     * pending list, replayed when it resumes elsewhere.
     *
     * @param to      the receiving session
     * @param roomId  the room it concerns
     * @param message the message, unnumbered
     * @throws ClusterUnavailableException when the backend cannot be reached; nothing was handed over
     */
    void deliver(RemotePeer to, String roomId, ServerMessage message) throws ClusterUnavailableException;

    /**
     * @return where sessions keep a copy of what they send, for resuming on another node
     */
    SessionMirror mirror();

    /**
     * A session opened on this node: its state is stored, and an older session of its user on another node is
     * told to end.
     *
     * @param session the new session
     */
    void opened(Session session);

    /**
     * Stores a session's state after it changed (rooms, processed sequences, credential).
     *
     * @param session the session
     */
    void saved(Session session);

    /**
     * A session of this node ended: its stored state is deleted.
     *
     * @param session the session
     */
    void ended(Session session);

    /**
     * Takes over a session stored by another node, to resume it here: the owner, if alive, hands it over first.
     *
     * @param resumeToken the client's resume token
     * @return the session's state, now owned by this node; empty when no live session has that token
     * @throws ClusterUnavailableException when the backend or a live owner cannot be reached; nothing changed
     */
    Optional<ClaimedSession> claim(String resumeToken) throws ClusterUnavailableException;

    /**
     * Tells the nodes of a resumed session's peers that it lives here now.
     *
     * @param session the session, in its rooms here
     * @param peers   its rooms' members on other nodes
     */
    void moved(Session session, List<RemotePeer> peers);

    /**
     * The members of a room on other nodes, as the directory has them.
     *
     * @param roomId the room
     * @return them
     * @throws ClusterUnavailableException when the backend cannot be reached
     */
    List<RemotePeer> remoteMembers(String roomId) throws ClusterUnavailableException;

    @Override
    void close();
}
