package dev.switchboard.server.cluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * What a node shares with the other nodes of its cluster: room membership, messages for sessions on other nodes,
 * and session state for resuming on another node. It speaks in records (ids, snapshots), never in live sessions.
 * {@link #standalone()} shares nothing and needs nothing.
 * <p>
 * Nothing here makes its caller wait on the backend while it holds a lock: directory changes and deliveries
 * complete later ({@link CompletionStage}), state writes are queued. Only {@link #claim} blocks, and it is called on a connection's own thread during a resume, with no lock
 * held.
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
     * Adds a session to a room in the directory, unless the room is full over all nodes, and tells the nodes of
     * the room's other members.
     *
     * @param roomId     the room
     * @param member     the joining session, which lives on this node
     * @param maxMembers members a room may have, over all nodes
     * @return completes with whether it joined and the members on other nodes; fails with
     *         {@link ClusterUnavailableException} when the backend cannot be reached (nothing changed)
     */
    CompletionStage<JoinResult> join(String roomId, Member member, int maxMembers);

    /**
     * Removes a session from a room in the directory, and tells the nodes of the remaining members. While the
     * backend is unreachable this is kept and done when it is back.
     *
     * @param roomId the room
     * @param member the session that left
     * @param reason why, as its peers are told
     */
    void left(String roomId, Member member, PeerLeftReason reason);

    /**
     * Hands a message to a session on another node: its node's stream, or, when that node is dead, the session's
     * pending list, replayed when it resumes elsewhere.
     *
     * @param to      the receiving session
     * @param roomId  the room it concerns
     * @param message the message, unnumbered
     * @return completes once the backend holds the message; fails with {@link ClusterUnavailableException} when
     *         it cannot take it (nothing was handed over)
     */
    CompletionStage<Void> deliver(RemotePeer to, String roomId, ServerMessage message);

    /**
     * A message a session of this node was sent (numbered), kept where another node can resume it.
     *
     * @param sessionId  the session
     * @param message    the message
     * @param replaySize how many messages its replay buffer holds now, the last being this one (0: not kept)
     */
    void sent(String sessionId, ServerMessage message, int replaySize);

    /**
     * A session opened on this node: its state is stored, and an older session of its user on another node is
     * told to end.
     *
     * @param session the new session's record
     */
    void opened(SessionRecord session);

    /**
     * A session's state changed (rooms, processed sequences, credential): it is stored again. Changes come far
     * more often than they need writing (each signal a session processes is one), so the record is read when
     * it is written, and many changes between two writes cost one.
     *
     * @param sessionId the session
     * @param record    reads the session's record as it is then; safe to call from any thread
     */
    void saved(String sessionId, Supplier<SessionRecord> record);

    /**
     * A session of this node ended: its stored state is deleted.
     *
     * @param sessionId   the session
     * @param resumeToken its resume token
     */
    void ended(String sessionId, String resumeToken);

    /**
     * Takes over a session stored by another node, to resume it here: the owner, if alive, hands it over first.
     * Nothing is taken over for a client that is not the session's user.
     *
     * @param resumeToken the client's resume token
     * @param userId      the user the client proved it is; empty when it proved nothing (auth.mode none without a
     *                    user id), and then the token alone decides
     * @return the session's state, now owned by this node; empty when no live session of that user has that token
     * @throws ClusterUnavailableException when the backend or a live owner cannot be reached; nothing changed
     */
    Optional<ClaimedSession> claim(String resumeToken, String userId) throws ClusterUnavailableException;

    /**
     * Tells the nodes of a resumed session's peers that it lives here now.
     *
     * @param session the session's record, in its rooms here
     * @param peers   its rooms' members on other nodes
     */
    void moved(SessionRecord session, List<RemotePeer> peers);

    /**
     * @return session state writes queued or under way: 0 once everything sessions did so far is in the backend
     *         (always 0 when standalone)
     */
    default int mirrorPending() {
        return 0;
    }

    @Override
    void close();
}
