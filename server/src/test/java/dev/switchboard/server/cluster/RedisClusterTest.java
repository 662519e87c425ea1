package dev.switchboard.server.cluster;

import java.util.HashMap;
import java.util.Map;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.testing.RedisServer;
import dev.switchboard.testkit.GrpcPeer;
import dev.switchboard.testkit.Peer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.sdp;

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

    @Test
    void aNodeTrimsFromItsMailboxWhatItRead() {
        Switchboard first = node();
        Switchboard second = node();
        int crossings = 600;
        try (GrpcPeer alice = new GrpcPeer("alice", first.port());
             GrpcPeer bob = new GrpcPeer("bob", second.port());
             RedisClient client = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> connection = client.connect()) {
            Peer.meet("call", alice, "alice", bob, "bob");
            for (int i = 0; i < crossings; i++) {
                bob.sendNumbered(offer("call", "alice", sdp("b" + i, "offer-" + i)));
                alice.next(OFFER);      // one at a time: each crossing is an entry of its own in alice's node's mailbox
            }
            RedisCommands<String, String> redisCommands = connection.sync();
            // read entries are trimmed every 256, a stream node (100 entries) at a time; untrimmed it holds them all
            await(() -> redisCommands.keys("sb:node:*:inbox").stream().mapToLong(redisCommands::xlen).max()
                    .orElseThrow() < crossings / 2, "the mailbox still holds what its node read");
        }
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
