package dev.switchboard.server.session;

import dev.switchboard.signaling.v1.ServerMessage;

/**
 * Keeps a copy of each session's outbound stream where another node can resume it (cluster mode). Called under
 * the session's send lock, in sequence order: implementations must only queue work, never wait.
 */
public interface SessionMirror {
    /** Standalone mode: nothing leaves the process. */
    SessionMirror NONE = new SessionMirror() {
        @Override
        public void sent(Session session, ServerMessage message, int replaySize) {
        }

        @Override
        public void acknowledged(Session session, int replaySize) {
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

    /**
     * The session's client acknowledged messages; the replay buffer kept only the newest ones.
     *
     * @param session    the session
     * @param replaySize how many messages its replay buffer holds now
     */
    void acknowledged(Session session, int replaySize);
}
