package dev.switchboard.server.cluster.redis;

/**
 * The Lua scripts that change several keys at once, atomically. Sent with EVAL each time: a Redis that restarted
 * has forgotten every loaded script, and these are short.
 */
final class Scripts {
    /**
     * Join. KEYS: room hash, node's memberships set. ARGV: user id, location, max members, membership entry.
     * Returns nil when the room is full, else the room's members as [user, location, ...].
     */
    static final String JOIN = """
            if not redis.call('HGET', KEYS[1], ARGV[1])
                    and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
              return false
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[4])
            return redis.call('HGETALL', KEYS[1])
            """;

    /**
     * Leave, only if the member is still that session. KEYS: room hash, node's memberships set. ARGV: user id,
     * location, membership entry. Returns nil when it was not a member, else the remaining members.
     */
    static final String LEAVE = """
            redis.call('SREM', KEYS[2], ARGV[3])
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
              return false
            end
            redis.call('HDEL', KEYS[1], ARGV[1])
            return redis.call('HGETALL', KEYS[1])
            """;

    /**
     * A message sent to a session: kept in its replay list, trimmed to the session's buffer. KEYS: replay list,
     * last sequence. ARGV: message, messages the buffer keeps (0: not kept), sequence, TTL ms.
     */
    static final String APPEND = """
            local keep = tonumber(ARGV[2])
            if keep > 0 then
              redis.call('RPUSH', KEYS[1], ARGV[1])
              redis.call('LTRIM', KEYS[1], -keep, -1)
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
            end
            redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
            return 1
            """;

    /** Keeps keys alive. KEYS: any. ARGV: TTL ms. */
    static final String TOUCH = """
            for i = 1, #KEYS do
              redis.call('PEXPIRE', KEYS[i], ARGV[1])
            end
            return 1
            """;

    /**
     * Moves a session to this node, if it is still where the claimer found it. KEYS: owner, old node's
     * memberships, new node's memberships, then the room hashes. ARGV: old node, new node, user id, session id,
     * TTL ms, then the room ids. Returns nil when the owner changed meanwhile, else ['ok', rooms still held...].
     */
    static final String CLAIM = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then
              return false
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[5])
            local kept = {'ok'}
            for i = 4, #KEYS do
              local room = ARGV[i + 2]
              local member = room .. '\\n' .. ARGV[3] .. '\\n' .. ARGV[4]
              redis.call('SREM', KEYS[2], member)
              if redis.call('HGET', KEYS[i], ARGV[3]) == ARGV[1] .. '|' .. ARGV[4] then
                redis.call('HSET', KEYS[i], ARGV[3], ARGV[2] .. '|' .. ARGV[4])
                redis.call('SADD', KEYS[3], member)
                kept[#kept + 1] = room
              end
            end
            return kept
            """;

    private Scripts() {
    }
}
