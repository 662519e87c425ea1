package dev.switchboard.server.session;

import dev.switchboard.signaling.v1.ServerMessage;

/**
 * Keeps a copy of each session's outbound stream where another node can resume it (cluster mode). Called under
 * the session's send lock, in sequence order: implementations must only queue work, never wait.
 * <p>
 * The client's acknowledgements are not mirrored: the copy is trimmed to the session's buffer with each message
 * sent, and a resume drops what the client says it received anyway. That saves a write per inbound message.
 */
public interface SessionMirror {
    /** Standalone mode: nothing leaves the process. */
    SessionMirror NONE = new SessionMirror() {
        @Override
        public void sent(Session session, ServerMessage message, int replaySize) {
        }
    };

    /**
     * The session numbered and kept a message.
     *
     * @param session    the session
     * @param message    the numbered message
     * @param replaySize how many messages its replay buffer holds now, the last of them being this one (0 when the
     *                   message was too large to keep)
     */
    void sent(Session session, ServerMessage message, int replaySize);
}
