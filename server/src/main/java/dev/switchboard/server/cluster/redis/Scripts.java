package dev.switchboard.server.cluster.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

/**
 * The Lua scripts that change several keys at once, atomically. They run by their SHA-1 (EVALSHA: the script is
 * not sent each time); a Redis that restarted has forgotten them, and a script it does not know is sent again.
 */
enum Scripts {
    /**
     * Join. KEYS: room hash, node's memberships set. ARGV: user id, member value ({@link Values#member}), max
     * members, membership entry. Returns nil when the room is full, else the room's members as [user, value, ...].
     */
    JOIN("""
            if not redis.call('HGET', KEYS[1], ARGV[1])
                    and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
              return false
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[4])
            return redis.call('HGETALL', KEYS[1])
            """, ScriptOutputType.MULTI),

    /**
     * Leave, only if the member is still that session (its value starts with the location, then the end or the
     * profile's newline). KEYS: room hash, node's memberships set. ARGV: user id, location, membership entry.
     * Returns nil when it was not a member, else the remaining members.
     */
    LEAVE("""
            redis.call('SREM', KEYS[2], ARGV[3])
            local value = redis.call('HGET', KEYS[1], ARGV[1])
            if not value or (value ~= ARGV[2] and string.sub(value, 1, #ARGV[2] + 1) ~= ARGV[2] .. '\\n') then
              return false
            end
            redis.call('HDEL', KEYS[1], ARGV[1])
            return redis.call('HGETALL', KEYS[1])
            """, ScriptOutputType.MULTI),

    /**
     * A session opened. KEYS: owner, resume token, record, node's sessions set, user's newest session. ARGV:
     * owner node, session id, record, TTL ms, location. Returns the user's previous newest session's location.
     */
    OPEN("""
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
            redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[4])
            redis.call('SET', KEYS[3], ARGV[3], 'PX', ARGV[4])
            redis.call('SADD', KEYS[4], ARGV[2])
            return redis.call('SET', KEYS[5], ARGV[5], 'PX', ARGV[4], 'GET')
            """, ScriptOutputType.VALUE),

    /** Keeps keys alive. KEYS: any. ARGV: TTL ms. */
    TOUCH("""
            for i = 1, #KEYS do
              redis.call('PEXPIRE', KEYS[i], ARGV[1])
            end
            return 1
            """, ScriptOutputType.INTEGER),

    /**
     * Moves a session to this node, if it is still where the claimer found it. KEYS: owner, old node's
     * memberships, new node's memberships, old node's sessions, new node's sessions, user's newest session, then
     * the room hashes. ARGV: old node, new node, user id, session id, TTL ms, then the room ids. Returns nil when
     * the owner changed meanwhile, else ['ok', rooms still held...]. A member's profile, after its location in the
     * room hash, stays.
     */
    CLAIM("""
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then
              return false
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[5])
            redis.call('SREM', KEYS[4], ARGV[4])
            redis.call('SADD', KEYS[5], ARGV[4])
            redis.call('SET', KEYS[6], ARGV[2] .. '|' .. ARGV[4], 'PX', ARGV[5])
            local kept = {'ok'}
            for i = 7, #KEYS do
              local room = ARGV[i - 1]
              local member = room .. '\\n' .. ARGV[3] .. '\\n' .. ARGV[4]
              redis.call('SREM', KEYS[2], member)
              local was = ARGV[1] .. '|' .. ARGV[4]
              local value = redis.call('HGET', KEYS[i], ARGV[3])
              if value and (value == was or string.sub(value, 1, #was + 1) == was .. '\\n') then
                redis.call('HSET', KEYS[i], ARGV[3], ARGV[2] .. '|' .. ARGV[4] .. string.sub(value, #was + 1))
                redis.call('SADD', KEYS[3], member)
                kept[#kept + 1] = room
              end
            end
            return kept
            """, ScriptOutputType.MULTI);

    private final String text;
    private final ScriptOutputType output;
    private volatile String digest;

    Scripts(String text, ScriptOutputType output) {
        this.text = text;
        this.output = output;
    }

    /**
     * Runs the script by its digest. A pipelined caller gets NOSCRIPT as a failure (its batch then fails, and the
     * node writes its state again once the scripts are loaded, see {@link #load}).
     */
    <T> CompletionStage<T> run(RedisAsyncCommands<String, byte[]> redis, String[] keys, byte[]... args) {
        String sha = digest;
        if (sha == null) {
            sha = redis.digest(text);
            digest = sha;
        }
        return redis.<T>evalsha(sha, output, keys, args);
    }

    /** Runs the script by its digest, sending it first if Redis does not know it (it restarted). */
    <T> CompletionStage<T> runLoading(RedisAsyncCommands<String, byte[]> redis, String[] keys, byte[]... args) {
        return this.<T>run(redis, keys, args).exceptionallyCompose(failure -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof RedisNoScriptException) {
                return redis.<T>eval(text, output, keys, args);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    /**
     * Sends every script to Redis, so that pipelined writes find them.
     *
     * @param redis the connection
     * @return completes once Redis has them all
     */
    static CompletableFuture<Void> load(RedisAsyncCommands<String, byte[]> redis) {
        CompletableFuture<?>[] loads = new CompletableFuture<?>[values().length];
        for (Scripts script : values()) {
            loads[script.ordinal()] = redis.scriptLoad(script.text).toCompletableFuture();
        }
        return CompletableFuture.allOf(loads);
    }
}
