package dev.switchboard.server.cluster.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.cluster.LocalSession;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.cluster.backend.SessionStore;
import dev.switchboard.server.cluster.backend.StoreOp;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * The stored sessions of a {@link MemoryCluster}. Guarded by the cluster's lock.
 */
final class MemorySessions {
    private final Map<String, Stored> sessions = new HashMap<>();
    private final Map<String, String> tokens = new HashMap<>();
    private final Map<String, RemotePeer> newest = new HashMap<>();
    private final Map<String, List<ServerMessage>> held = new HashMap<>();

    Optional<RemotePeer> opened(SessionRecord record, String owner) {
        sessions.put(record.getSessionId(), new Stored(record, owner));
        tokens.put(record.getResumeToken(), record.getSessionId());
        RemotePeer location = new RemotePeer(record.getUserId(), record.getSessionId(), owner);
        return Optional.ofNullable(newest.put(record.getUserId(), location))
                .filter(previous -> !previous.sessionId().equals(record.getSessionId()));
    }

    void appended(StoreOp.Appended op) {
        Stored stored = sessions.get(op.sessionId());
        if (stored != null) {
            stored.replay.addAll(op.kept());
            while (op.trim() && stored.replay.size() > op.replaySize()) {
                stored.replay.removeFirst();    // as Redis does: only every so often, older messages stay between
            }
            stored.lastSequence = op.lastSequence();
        }
    }

    void saved(SessionRecord record) {
        Stored stored = sessions.get(record.getSessionId());
        if (stored != null) {
            stored.record = record;
        }
    }

    void removed(StoreOp.Removed op) {
        Stored gone = sessions.remove(op.sessionId());
        if (gone != null) {
            tokens.remove(gone.record.getResumeToken());
            newest.remove(gone.record.getUserId(), new RemotePeer(gone.record.getUserId(), op.sessionId(), op.owner()));
        }
        held.remove(op.sessionId());
    }

    void held(StoreOp.Held op) {
        held.computeIfAbsent(op.sessionId(), id -> new ArrayList<>()).add(op.message());
    }

    void rewritten(LocalSession session, String owner) {
        opened(session.record(), owner);
        Stored stored = sessions.get(session.record().getSessionId());
        stored.replay.addAll(session.replay());
        stored.lastSequence = session.lastSequence();
    }

    Optional<SessionStore.StoredSession> find(String resumeToken) {
        String sessionId = tokens.get(resumeToken);
        Stored stored = sessionId == null ? null : sessions.get(sessionId);
        return stored == null ? Optional.empty() : Optional.of(new SessionStore.StoredSession(stored.record,
                                                                                               stored.owner));
    }

    Optional<Map<String, List<RemotePeer>>> claim(SessionStore.StoredSession session, String claimer,
                                                  MemoryDirectory directory) {
        SessionRecord record = session.record();
        Stored stored = sessions.get(record.getSessionId());
        if (stored == null || !stored.owner.equals(session.owner())) {
            return Optional.empty();
        }
        stored.owner = claimer;
        RemotePeer was = new RemotePeer(record.getUserId(), record.getSessionId(), session.owner());
        Map<String, List<RemotePeer>> kept = new LinkedHashMap<>();
        for (String roomId : record.getRoomIdsList()) {
            if (directory.move(roomId, was, claimer)) {
                kept.put(roomId, directory.members(roomId));
            }
        }
        newest.put(record.getUserId(), new RemotePeer(record.getUserId(), record.getSessionId(), claimer));
        return Optional.of(kept);
    }

    SessionStore.SentState take(String sessionId) {
        Stored stored = sessions.get(sessionId);
        List<ServerMessage> pending = held.remove(sessionId);
        return new SessionStore.SentState(stored == null ? 0 : stored.lastSequence,
                                          stored == null ? List.of() : List.copyOf(stored.replay),
                                          pending == null ? List.of() : pending);
    }

    List<String> sessionsOf(String nodeId) {
        return sessions.entrySet().stream().filter(entry -> entry.getValue().owner.equals(nodeId))
                .map(Map.Entry::getKey).toList();
    }

    void clear() {
        sessions.clear();
        tokens.clear();
        newest.clear();
        held.clear();
    }

    /** One session's stored state. */
    private static final class Stored {
        private final List<ServerMessage> replay = new ArrayList<>();
        private SessionRecord record;
        private String owner;
        private long lastSequence;

        Stored(SessionRecord record, String owner) {
            this.record = record;
            this.owner = owner;
        }
    }
}
