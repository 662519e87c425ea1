package dev.switchboard.server.cluster.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.cluster.LocalSession;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.cluster.backend.SessionStore;
import dev.switchboard.server.cluster.backend.StoreOp;
import dev.switchboard.signaling.v1.ServerMessage;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

import static dev.switchboard.server.cluster.redis.Keys.SESSION_TTL_MS;
import static dev.switchboard.server.cluster.redis.Values.bytes;
import static dev.switchboard.server.cluster.redis.Values.text;

/**
 * The sessions' stored state in Redis: per session its owner, record, replay list, last sequence and held
 * messages, its resume token, and per user the newest session. Writes are {@link StoreOp}s, issued on the
 * writer's pipelined connection; reads block, on a resume or on the heartbeat thread.
 */
final class RedisSessions implements SessionStore {
    private static final SetArgs EXPIRING = SetArgs.Builder.px(SESSION_TTL_MS);

    private final RedisCommands<String, byte[]> redis;
    private final RedisAsyncCommands<String, byte[]> async;

    RedisSessions(StatefulRedisConnection<String, byte[]> connection) {
        this.redis = connection.sync();
        this.async = connection.async();
    }

    /**
     * Issues one write on a pipelined connection.
     *
     * @return completes once Redis has applied it
     */
    static CompletionStage<?> write(RedisAsyncCommands<String, byte[]> redis, StoreOp op) {
        return switch (op) {
            case StoreOp.Opened opened -> open(redis, opened.record(), opened.owner()).thenAccept(previous ->
                    opened.replaced().complete(Optional.ofNullable(text(previous)).map(location -> Values.peer(
                            opened.record().getUserId(), location))
                            .filter(older -> !older.sessionId().equals(opened.record().getSessionId()))));
            case StoreOp.Appended appended -> append(redis, appended);
            case StoreOp.Saved saved -> redis.set(Keys.record(saved.record().getSessionId()),
                                                  saved.record().toByteArray(), EXPIRING);
            case StoreOp.Removed removed -> {
                List<String> keys = new ArrayList<>(List.of(
                        Keys.owner(removed.sessionId()), Keys.record(removed.sessionId()),
                        Keys.replay(removed.sessionId()), Keys.lastSequence(removed.sessionId()),
                        Keys.pending(removed.sessionId())));
                if (!removed.resumeToken().isEmpty()) {
                    keys.add(Keys.resume(removed.resumeToken()));
                }
                redis.srem(Keys.sessions(removed.owner()), bytes(removed.sessionId()));
                yield redis.del(keys.toArray(String[]::new));
            }
            case StoreOp.Held held -> {
                redis.rpush(Keys.pending(held.sessionId()), held.message().toByteArray());
                yield redis.pexpire(Keys.pending(held.sessionId()), SESSION_TTL_MS);
            }
            case StoreOp.Touched touched -> Scripts.TOUCH.run(redis, touched.sessions().stream()
                    .flatMap(session -> keysOf(session.sessionId(), session.resumeToken(), session.userId()).stream())
                    .toArray(String[]::new), bytes(SESSION_TTL_MS));
            case StoreOp.Rewritten rewritten -> rewrite(redis, rewritten.session(), rewritten.owner());
        };
    }

    private static CompletionStage<byte[]> open(RedisAsyncCommands<String, byte[]> redis, SessionRecord record,
                                                String owner) {
        String id = record.getSessionId();
        return Scripts.OPEN.run(redis, new String[] {Keys.owner(id), Keys.resume(record.getResumeToken()),
                                                     Keys.record(id), Keys.sessions(owner),
                                                     Keys.user(record.getUserId())},
                                bytes(owner), bytes(id), record.toByteArray(), bytes(SESSION_TTL_MS),
                                bytes(Keys.location(owner, id)));
    }

    /**
     * Messages sent to a session: the kept ones join its replay list, which gets its expiry when this node first
     * writes it (the heartbeat's touch renews it) and is trimmed to the session's buffer every so often; the last
     * sequence is stored on its own only when the list's last message does not say it. So a busy session costs
     * one RPUSH per mirror interval, not four commands. Plain pipelined commands, not a script: Redis took 35 us
     * per call for the script that did the same (its arguments copied into Lua and back). They need not be atomic:
     * the list is read only once the session's node is dead, and a reader takes the later of the stored last
     * sequence and the list's last message.
     */
    private static CompletionStage<?> append(RedisAsyncCommands<String, byte[]> redis, StoreOp.Appended op) {
        String replay = Keys.replay(op.sessionId());
        CompletionStage<?> last = null;
        if (!op.kept().isEmpty()) {
            byte[][] messages = new byte[op.kept().size()][];
            for (int i = 0; i < messages.length; i++) {
                messages[i] = op.kept().get(i).toByteArray();
            }
            last = redis.rpush(replay, messages);
        }
        if (op.trim() && op.replaySize() > 0) {
            last = redis.ltrim(replay, -op.replaySize(), -1);
        }
        if (op.first()) {
            last = redis.pexpire(replay, SESSION_TTL_MS);
        }
        if (op.lastSequenceUnkept() || last == null) {
            last = redis.set(Keys.lastSequence(op.sessionId()), bytes(op.lastSequence()), EXPIRING);
        }
        return last;
    }

    /** The session in full: as opened, its replay list replaced, its memberships in its rooms' hashes. */
    private static CompletionStage<?> rewrite(RedisAsyncCommands<String, byte[]> redis, LocalSession session,
                                              String owner) {
        SessionRecord record = session.record();
        String id = record.getSessionId();
        open(redis, record, owner);
        redis.del(Keys.replay(id));
        for (String roomId : record.getRoomIdsList()) {
            redis.hset(Keys.room(roomId), record.getUserId(), Values.member(owner, id, record.getProfileMap()));
            redis.sadd(Keys.memberships(owner), bytes(Keys.membership(roomId, record.getUserId(), id)));
        }
        return append(redis, new StoreOp.Appended(id, session.replay(), session.replay().size(),
                                                  session.lastSequence(), true, true));
    }

    private static List<String> keysOf(String sessionId, String resumeToken, String userId) {
        return List.of(Keys.owner(sessionId), Keys.record(sessionId), Keys.replay(sessionId),
                       Keys.lastSequence(sessionId), Keys.resume(resumeToken), Keys.user(userId));
    }

    @Override
    public Optional<StoredSession> find(String resumeToken) {
        String sessionId = text(redis.get(Keys.resume(resumeToken)));
        if (sessionId == null) {
            return Optional.empty();
        }
        String owner = text(redis.get(Keys.owner(sessionId)));
        byte[] record = redis.get(Keys.record(sessionId));
        return owner == null || record == null ? Optional.empty()
                : Optional.of(new StoredSession(parse(record, SessionRecord::parseFrom), owner));
    }

    @Override
    public Optional<Map<String, List<RemotePeer>>> claim(StoredSession session, String claimer) {
        SessionRecord record = session.record();
        String id = record.getSessionId();
        List<String> keys = new ArrayList<>(List.of(Keys.owner(id), Keys.memberships(session.owner()),
                                                    Keys.memberships(claimer), Keys.sessions(session.owner()),
                                                    Keys.sessions(claimer), Keys.user(record.getUserId())));
        List<byte[]> args = new ArrayList<>(List.of(bytes(session.owner()), bytes(claimer), bytes(record.getUserId()),
                                                    bytes(id), bytes(SESSION_TTL_MS)));
        for (String roomId : record.getRoomIdsList()) {
            keys.add(Keys.room(roomId));
            args.add(bytes(roomId));
        }
        List<Object> kept = Scripts.CLAIM.<List<Object>>runLoading(async, keys.toArray(String[]::new),
                                                                   args.toArray(byte[][]::new))
                .toCompletableFuture().join();
        if (kept == null) {
            return Optional.empty();
        }
        Map<String, List<RemotePeer>> rooms = new java.util.LinkedHashMap<>();
        kept.stream().skip(1).map(room -> text((byte[]) room))
                .forEach(roomId -> rooms.put(roomId, Values.peers(redis.hgetall(Keys.room(roomId)))));
        return Optional.of(rooms);
    }

    @Override
    public SentState take(String sessionId) {
        List<ServerMessage> replay = new ArrayList<>();
        redis.lrange(Keys.replay(sessionId), 0, -1).forEach(message -> replay.add(parse(message,
                                                                                           ServerMessage::parseFrom)));
        List<ServerMessage> pending = new ArrayList<>();
        redis.lrange(Keys.pending(sessionId), 0, -1).forEach(message -> pending.add(parse(message,
                                                                                            ServerMessage::parseFrom)));
        redis.del(Keys.pending(sessionId));
        String last = text(redis.get(Keys.lastSequence(sessionId)));
        return new SentState(last == null ? 0 : Long.parseLong(last), replay, pending);
    }

    @Override
    public List<String> sessionsOf(String nodeId) {
        return redis.smembers(Keys.sessions(nodeId)).stream().map(Values::text).toList();
    }

    private static <T> T parse(byte[] bytes, Parser<T> parser) {
        try {
            return parser.parse(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable session state in Redis", e);
        }
    }

    /** A protobuf parser. */
    private interface Parser<T> {
        T parse(byte[] bytes) throws InvalidProtocolBufferException;
    }
}
