package dev.switchboard.server.session;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live sessions (attached or waiting to be resumed), one per user, found by user or by resume token. A new
 * session of a user replaces the older one. For the most recently ended sessions it also remembers why they
 * ended, so that a late resume can be told the reason.
 */
public final class SessionRegistry {
    /** Ended sessions whose reason is remembered; the oldest is forgotten first. */
    private static final int ENDED_REMEMBERED = 10_000;

    private final ConcurrentHashMap<String, Session> byUser = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Session> byResumeToken = new ConcurrentHashMap<>();
    private final Map<String, String> endedByResumeToken = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > ENDED_REMEMBERED;
        }
    });

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
     * Forgets a session that ended, unless a newer one of the same user has replaced it already, and remembers why
     * it ended.
     *
     * @param session the session
     * @param why     why it ended, for a late resume
     */
    public void unregister(Session session, String why) {
        endedByResumeToken.put(session.resumeToken(), why);
        byResumeToken.remove(session.resumeToken(), session);
        byUser.remove(session.userId(), session);
    }

    /**
     * @param resumeToken the resume token of a session that ended
     * @return why it ended, while that is still remembered
     */
    public Optional<String> whyEnded(String resumeToken) {
        return Optional.ofNullable(endedByResumeToken.get(resumeToken));
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

    /**
     * @return the live sessions, at this moment
     */
    public Collection<Session> sessions() {
        return List.copyOf(byUser.values());
    }
}
