package dev.switchboard.server.cluster.redis;

/**
 * The Redis keys of a cluster. Everything lives under {@code sb:}. A session's keys are deleted when it ends or its
 * dead node is reaped; their expiry ({@link #SESSION_TTL_MS}, refreshed while the session lives) only clears what
 * a whole cluster that died left behind.
 */
final class Keys {
    /** How long a session's keys outlive the last refresh by their node, ms. */
    static final long SESSION_TTL_MS = 10 * 60_000;

    /** Sorted set: node id, scored by its last heartbeat (epoch ms). */
    static final String NODES = "sb:nodes";

    private Keys() {
    }

    /** String with a TTL of the node timeout: present while the node heart-beats. */
    static String alive(String nodeId) {
        return "sb:node:" + nodeId + ":alive";
    }

    /** Stream: envelopes for the node, an {@code EnvelopeBatch} per entry. */
    static String inbox(String nodeId) {
        return "sb:node:" + nodeId + ":inbox";
    }

    /** String: the id of the last stream entry the node read; what follows it, a node that died never saw. */
    static String readUpTo(String nodeId) {
        return "sb:node:" + nodeId + ":read";
    }

    /** Set: the node's room memberships, as {@link #membership} entries, for reaping them when it dies. */
    static String memberships(String nodeId) {
        return "sb:node:" + nodeId + ":members";
    }

    /** Set: the ids of the sessions the node owns, for forgetting them when it dies. */
    static String sessions(String nodeId) {
        return "sb:node:" + nodeId + ":sessions";
    }

    /** String: which node is reaping a dead node. */
    static String reaper(String nodeId) {
        return "sb:node:" + nodeId + ":reaper";
    }

    /** One membership of a node, in its {@link #memberships} set. */
    static String membership(String roomId, String userId, String sessionId) {
        return roomId + "\n" + userId + "\n" + sessionId;
    }

    /** Hash: user id to its session's {@link #location} and profile ({@link Values#member}), per room member. */
    static String room(String roomId) {
        return "sb:room:" + roomId;
    }

    /** Where a session lives, as a room hash holds it. */
    static String location(String nodeId, String sessionId) {
        return nodeId + "|" + sessionId;
    }

    /** String: the node a session lives on. */
    static String owner(String sessionId) {
        return "sb:session:" + sessionId + ":node";
    }

    /** String: the session's SessionRecord. */
    static String record(String sessionId) {
        return "sb:session:" + sessionId + ":record";
    }

    /** List: the messages its client may not have received, oldest first. */
    static String replay(String sessionId) {
        return "sb:session:" + sessionId + ":replay";
    }

    /** String: the sequence of the last message sent to it. */
    static String lastSequence(String sessionId) {
        return "sb:session:" + sessionId + ":last";
    }

    /** List: Deliveries for it that arrived while its node was dead. */
    static String pending(String sessionId) {
        return "sb:session:" + sessionId + ":pending";
    }

    /** String: the session id a resume token resumes. */
    static String resume(String resumeToken) {
        return "sb:resume:" + resumeToken;
    }

    /** String: the {@link #location} of a user's newest session. */
    static String user(String userId) {
        return "sb:user:" + userId;
    }
}
