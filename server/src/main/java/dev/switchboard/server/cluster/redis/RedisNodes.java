package dev.switchboard.server.cluster.redis;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.switchboard.server.cluster.backend.NodeRegistry;
import io.lettuce.core.Range;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import static dev.switchboard.server.cluster.redis.Values.bytes;
import static dev.switchboard.server.cluster.redis.Values.text;

/**
 * The nodes in Redis: a sorted set of node ids scored by their last heartbeat, and per node an {@code alive} key
 * that expires after the node timeout (its absence tells a node that Redis lost it, or that it was gone too long).
 */
final class RedisNodes implements NodeRegistry {
    /** How long a node holds the job of reaping a dead one. */
    private static final long REAPER_MS = 60_000;

    private final RedisCommands<String, byte[]> redis;
    private final Runnable lostState;

    /**
     * @param connection the command connection
     * @param lostState  told when Redis had lost this node (it restarted): the scripts must be loaded again
     */
    RedisNodes(StatefulRedisConnection<String, byte[]> connection, Runnable lostState) {
        this.redis = connection.sync();
        this.lostState = lostState;
    }

    @Override
    public boolean beat(String nodeId, Duration timeout) {
        long now = System.currentTimeMillis();
        byte[] wasAlive = redis.setGet(Keys.alive(nodeId), bytes(now), SetArgs.Builder.px(timeout.toMillis()));
        redis.zadd(Keys.NODES, now, bytes(nodeId));
        if (wasAlive == null) {
            lostState.run();
        }
        return wasAlive != null;
    }

    @Override
    public Set<String> live(Duration timeout) {
        Set<String> live = new LinkedHashSet<>();
        redis.zrangebyscore(Keys.NODES, Range.create(System.currentTimeMillis() - timeout.toMillis(),
                                                     Double.POSITIVE_INFINITY))
                .forEach(node -> live.add(text(node)));
        return live;
    }

    @Override
    public boolean beatWithin(String nodeId, Duration within) {
        Double beat = redis.zscore(Keys.NODES, bytes(nodeId));
        return beat != null && beat >= System.currentTimeMillis() - within.toMillis();
    }

    @Override
    public List<String> silent(Duration silentFor) {
        long before = System.currentTimeMillis() - silentFor.toMillis();
        return redis.zrangebyscore(Keys.NODES, Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(before)))
                .stream().map(Values::text).toList();
    }

    @Override
    public boolean reap(String deadNodeId, String reaper) {
        return "OK".equals(redis.set(Keys.reaper(deadNodeId), bytes(reaper), SetArgs.Builder.nx().px(REAPER_MS)));
    }

    @Override
    public void forget(String deadNodeId) {
        redis.del(Keys.memberships(deadNodeId), Keys.sessions(deadNodeId), Keys.inbox(deadNodeId),
                  Keys.alive(deadNodeId), Keys.readUpTo(deadNodeId));
        redis.zrem(Keys.NODES, bytes(deadNodeId));
    }
}
