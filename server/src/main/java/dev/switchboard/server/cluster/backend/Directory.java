package dev.switchboard.server.cluster.backend;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import dev.switchboard.server.cluster.RemotePeer;

/**
 * Each room's members over all nodes: user id to where its session lives. Changes are atomic per room.
 */
public interface Directory {
    /**
     * Adds a member to a room unless the room is full; a member already there (the same user) is replaced.
     *
     * @param roomId     the room
     * @param member     the joining session and its node
     * @param maxMembers members the room may have
     * @return the room's members after the join, the new one among them; empty when the room is full
     */
    CompletionStage<Optional<List<RemotePeer>>> join(String roomId, RemotePeer member, int maxMembers);

    /**
     * Removes a member from a room, if it is still that session.
     *
     * @param roomId the room
     * @param member the session
     * @return the remaining members; empty when the session was not a member
     */
    CompletionStage<Optional<List<RemotePeer>>> leave(String roomId, RemotePeer member);

    /**
     * @param roomId the room
     * @return its members; blocks on the backend
     */
    List<RemotePeer> members(String roomId);

    /**
     * The room memberships of a node's sessions, for reaping them when the node dies.
     *
     * @param nodeId the node
     * @return its memberships; blocks on the backend
     */
    List<Membership> memberships(String nodeId);

    /**
     * One room membership of a session.
     *
     * @param roomId the room
     * @param member the session and its node
     */
    record Membership(String roomId, RemotePeer member) {
    }
}
