package dev.switchboard.server.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.cluster.ClusterMetrics;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionMirror;
import dev.switchboard.signaling.v1.ServerMessage;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * The copy in Redis of this node's sessions: record, replay list and last sequence, written as they change,
 * without waiting, and kept alive while the node lives. Writes that fail (Redis away) are counted; the node then
 * writes everything again once Redis is back ({@link #rewrite}).
 */
final class SessionStore implements SessionMirror {
    private final String nodeId;
    private final RedisAsyncCommands<String, byte[]> commands;
    private final long ttlMs;
    private final AtomicBoolean stale = new AtomicBoolean();
    private final ClusterMetrics metrics;

    SessionStore(String nodeId, RedisAsyncCommands<String, byte[]> commands, long ttlMs, ClusterMetrics metrics) {
        this.metrics = metrics;
        this.nodeId = nodeId;
        this.commands = commands;
        this.ttlMs = ttlMs;
    }

    @Override
    public void sent(Session session, ServerMessage message, int replaySize) {
        watch(commands.eval(Scripts.APPEND, ScriptOutputType.INTEGER,
                            new String[] {Keys.replay(session.id()), Keys.lastSequence(session.id())},
                            message.toByteArray(), bytes(replaySize), bytes(message.getSequence()), bytes(ttlMs)));
    }

    /** Stores who the session is and where it lives. */
    void opened(Session session) {
        SetArgs expiring = SetArgs.Builder.px(ttlMs);
        watch(commands.set(Keys.owner(session.id()), bytes(nodeId), expiring));
        watch(commands.set(Keys.resume(session.resumeToken()), bytes(session.id()), expiring));
        saved(session);
    }

    /** Stores the session's record. */
    void saved(Session session) {
        watch(commands.set(Keys.record(session.id()), record(session).toByteArray(), SetArgs.Builder.px(ttlMs)));
    }

    /** Deletes a session that ended. */
    void ended(Session session) {
        forget(session.id());
        watch(commands.del(Keys.resume(session.resumeToken())));
    }

    /**
     * Deletes a session's state, so that it can no longer be resumed (its resume token finds no owner).
     *
     * @param sessionId the session
     */
    void forget(String sessionId) {
        watch(commands.del(Keys.owner(sessionId), Keys.record(sessionId), Keys.replay(sessionId),
                           Keys.lastSequence(sessionId), Keys.pending(sessionId)));
    }

    /** Keeps a live session's keys from expiring. */
    void touch(Session session) {
        watch(commands.eval(Scripts.TOUCH, ScriptOutputType.INTEGER,
                            new String[] {Keys.owner(session.id()), Keys.record(session.id()),
                                          Keys.replay(session.id()), Keys.lastSequence(session.id()),
                                          Keys.resume(session.resumeToken()), Keys.user(session.userId())},
                            bytes(ttlMs)));
    }

    /** Writes a session in full again, after Redis lost it or missed some writes. */
    void rewrite(Session session) {
        opened(session);
        Session.Outbound outbound = session.outbound();
        watch(commands.del(Keys.replay(session.id())));
        for (ServerMessage message : outbound.replay()) {
            sent(session, message, outbound.replay().size());
        }
        watch(commands.set(Keys.lastSequence(session.id()), bytes(outbound.lastSequence()),
                           SetArgs.Builder.px(ttlMs)));
        watch(commands.set(Keys.user(session.userId()), bytes(Keys.location(nodeId, session.id())),
                           SetArgs.Builder.px(ttlMs)));
    }

    /**
     * @return how long a session's keys live after their last refresh, ms
     */
    long ttlMs() {
        return ttlMs;
    }

    /**
     * @return whether a write failed since the last call; the node must {@link #rewrite} its sessions
     */
    boolean takeStale() {
        return stale.getAndSet(false);
    }

    private SessionRecord record(Session session) {
        Identity identity = session.identity();
        SessionRecord.Builder record = SessionRecord.newBuilder()
                .setSessionId(session.id())
                .setUserId(session.userId())
                .setResumeToken(session.resumeToken())
                .setNodeId(nodeId)
                .addAllRoomIds(new ArrayList<>(session.rooms()))
                .setDedup(session.dedup().snapshot())
                .setIdentityExpiresAtMs(identity.expiresAt().map(Instant::toEpochMilli).orElse(0L));
        identity.rooms().ifPresent(rooms -> record.setRoomsRestricted(true).addAllAllowedRooms(rooms));
        return record.build();
    }

    private void watch(RedisFuture<?> write) {
        write.whenComplete((result, failure) -> {
            if (failure != null) {
                metrics.mirrorWriteFailed();
                stale.set(true);
            }
        });
    }

    static byte[] bytes(long number) {
        return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
