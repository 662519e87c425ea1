package dev.switchboard.server.cluster.backend;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * The stored state of every node's sessions, read side (writes go through {@link ClusterBackend#write} as
 * {@link StoreOp}s). Every method blocks on the backend: it is called while a client resumes, on its connection's
 * thread with no lock held, or on the cluster's own threads.
 */
public interface SessionStore {
    /**
     * @param resumeToken a client's resume token
     * @return the live session it resumes, with its owner; empty when there is none
     */
    Optional<StoredSession> find(String resumeToken);

    /**
     * Moves a session to another node in one atomic step, if it still lives where {@code session} says: its owner,
     * and each room membership the directory still holds for it there.
     *
     * @param session as {@link #find} returned it
     * @param claimer the node taking it
     * @return the rooms it is still in, each with its members after the move; empty when the owner changed
     *         meanwhile (another node took it first)
     */
    Optional<Map<String, List<RemotePeer>>> claim(StoredSession session, String claimer);

    /**
     * What a session was sent, as its dead node stored it, and the messages held for it since; the held ones are
     * taken (deleted).
     *
     * @param sessionId the session
     * @return its state
     */
    SentState take(String sessionId);

    /**
     * @param nodeId a node
     * @return the ids of the sessions it owns
     */
    List<String> sessionsOf(String nodeId);

    /**
     * A session as the store holds it.
     *
     * @param record its last stored record
     * @param owner  the node it lives on
     */
    record StoredSession(SessionRecord record, String owner) {
    }

    /**
     * What a session was sent.
     *
     * @param lastSequence the sequence of the last message stored as sent
     * @param replay       the messages stored for its replay, in order
     * @param pending      messages held for it (its node was dead), unnumbered, in order
     */
    record SentState(long lastSequence, List<ServerMessage> replay, List<ServerMessage> pending) {
    }
}
