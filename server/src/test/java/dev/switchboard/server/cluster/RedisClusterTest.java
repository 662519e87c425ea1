package dev.switchboard.server.cluster;

import java.util.HashMap;
import java.util.Map;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The cluster contract over a real {@code redis-server}: the nodes in this JVM, as {@code cluster.mode: redis}
 * configures them.
 */
class RedisClusterTest extends ClusterContract {
    private RedisServer redis;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    @Override
    Switchboard start(Map<String, String> settings) {
        Map<String, String> redisMode = new HashMap<>(settings);
        redisMode.put("cluster.mode", "redis");
        redisMode.put("cluster.redis.uri", redis.uri());
        return Switchboard.start(config(redisMode));
    }

    @Override
    void backendDown() {
        redis.stop();
    }

    @Override
    void backendBack() {
        redis.restart();
    }
}
