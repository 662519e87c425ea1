package dev.switchboard.server.session;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sessions (attached or waiting to be resumed), one per user, found by user or by resume token. A new
 * session of a user replaces the older one.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, Session> byUser = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Session> byResumeToken = new ConcurrentHashMap<>();

    /**
     * Registers a session as its user's current one.
     *
     * @param session the new session
     * @return the session it replaces, if the user had one
     */
    public Optional<Session> register(Session session) {
        byResumeToken.put(session.resumeToken(), session);
        return Optional.ofNullable(byUser.put(session.userId(), session));
    }

    /**
     * Forgets a session, unless a newer one of the same user has replaced it already.
     *
     * @param session the session
     */
    public void unregister(Session session) {
        byResumeToken.remove(session.resumeToken(), session);
        byUser.remove(session.userId(), session);
    }

    /**
     * @param userId a user
     * @return the user's current session
     */
    public Optional<Session> find(String userId) {
        return Optional.ofNullable(byUser.get(userId));
    }

    /**
     * @param resumeToken a resume token
     * @return the session it resumes, while that session has not ended
     */
    public Optional<Session> findByResumeToken(String resumeToken) {
        return Optional.ofNullable(byResumeToken.get(resumeToken));
    }

    /**
     * @return how many sessions are live
     */
    public int size() {
        return byUser.size();
    }
}
