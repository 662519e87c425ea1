package dev.switchboard.server.session;

import dev.switchboard.signaling.v1.ServerMessage;

/**
 * Keeps a copy of each session's state where another node can resume it (cluster mode). Called under the
 * session's locks: implementations must only take note or queue work, never wait.
 * <p>
 * The client's acknowledgements are not mirrored: the copy is trimmed to the session's buffer with each message
 * sent, and a resume drops what the client says it received anyway. That saves a write per inbound message.
 */
public interface SessionMirror {
    /** Standalone mode: nothing leaves the process. */
    SessionMirror NONE = new SessionMirror() {
        @Override
        public void opened(Session session) {
        }

        @Override
        public void sent(String sessionId, ServerMessage message, int replaySize) {
        }

        @Override
        public void changed(Session session) {
        }
    };

    /**
     * A session opened: its state is stored, and an older session of its user elsewhere is told to end.
     *
     * @param session the new session
     */
    void opened(Session session);

    /**
     * The session numbered and kept a message.
     *
     * @param sessionId  the session
     * @param message    the numbered message
     * @param replaySize how many messages its replay buffer holds now, the last of them being this one (0 when the
     *                   message was too large to keep)
     */
    void sent(String sessionId, ServerMessage message, int replaySize);

    /**
     * What another node needs to resume the session changed: its rooms, its credential, the client sequences it
     * has processed. The mirror reads the session when it writes its state.
     *
     * @param session the session
     */
    void changed(Session session);
}
