package dev.switchboard.server.cluster.backend;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.cluster.LocalSession;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.cluster.SessionKey;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * One write of session state, applied in batch order by {@link ClusterBackend#write}. A sealed type: a backend's
 * switch over it fails compilation until it handles a new kind.
 */
public sealed interface StoreOp {
    /**
     * A session opened on a node: its owner, record, resume token and its user's newest session are stored.
     *
     * @param record   its record
     * @param owner    its node
     * @param replaced completed with the user's previous newest session, if another one was stored
     */
    record Opened(SessionRecord record, String owner, CompletableFuture<Optional<RemotePeer>> replaced)
            implements StoreOp {
    }

    /**
     * Messages a session was sent: the kept ones join its replay list. The list is trimmed to what the buffer holds
     * only every so often ({@code trim}): between trims it also holds older messages, which a resume drops again
     * (the client received them, or the restored buffer's bounds keep the newest), and a Redis write per session
     * per mirror interval is not spent on trimming.
     *
     * @param sessionId    the session
     * @param kept         the messages its replay buffer kept, in order
     * @param replaySize   how many messages its buffer holds after the last of them
     * @param lastSequence the sequence of the last message sent
     * @param first        the first append by this node since it took the session: the stored list may be new
     * @param trim         the list is trimmed to {@code replaySize} messages now
     */
    record Appended(String sessionId, List<ServerMessage> kept, int replaySize, long lastSequence, boolean first,
                    boolean trim) implements StoreOp {
        /**
         * @return whether the last sequence must be stored on its own: the last message sent was not kept, so the
         *         list's last message does not say it
         */
        public boolean lastSequenceUnkept() {
            return kept.isEmpty() || kept.getLast().getSequence() != lastSequence;
        }
    }

    /**
     * A session's record, as it is now.
     *
     * @param record the record
     */
    record Saved(SessionRecord record) implements StoreOp {
    }

    /**
     * A session is gone from a node (ended, or reaped with its dead node): nothing of it may be resumed.
     *
     * @param sessionId   the session
     * @param resumeToken its resume token; empty when not known (reaping)
     * @param owner       the node it lived on
     */
    record Removed(String sessionId, String resumeToken, String owner) implements StoreOp {
    }

    /**
     * A message for a session whose node is dead, held until a node resumes it.
     *
     * @param sessionId the session
     * @param message   the message, unnumbered
     */
    record Held(String sessionId, ServerMessage message) implements StoreOp {
    }

    /**
     * A node's live sessions whose stored state must not expire.
     *
     * @param owner    the node
     * @param sessions the sessions
     */
    record Touched(String owner, List<SessionKey> sessions) implements StoreOp {
    }

    /**
     * A session written in full again, with its room memberships, after the backend lost it or missed writes.
     *
     * @param session the session
     * @param owner   its node
     */
    record Rewritten(LocalSession session, String owner) implements StoreOp {
    }
}
