package dev.switchboard.server.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * The {@code cluster} section: whether this node runs alone (state in memory, the default) or shares rooms and
 * sessions with other nodes through Redis.
 *
 * @param mode              standalone or redis
 * @param redisUri          the Redis server, e.g. {@code redis://127.0.0.1:6379} (redis mode)
 * @param heartbeatInterval how often the node tells Redis it is alive, and looks for dead nodes
 * @param nodeTimeout       a node silent this long counts as dead; its sessions stay resumable for the resume
 *                          window after that, then their peers get {@code peer_left}
 * @param mirrorInterval    how often a node writes its sessions' state (messages sent, records) to the backend:
 *                          the writes of that time are coalesced into one per session
 */
public record ClusterSettings(Mode mode, URI redisUri, Duration heartbeatInterval, Duration nodeTimeout,
                              Duration mirrorInterval) {
    /** Where the node's shared state lives. */
    public enum Mode {
        /** In this process only: one node, nothing else needed. */
        STANDALONE,
        /** In Redis, shared with the other nodes of the cluster. */
        REDIS
    }

    /**
     * Binds the {@code cluster} section.
     *
     * @param config root configuration
     * @return the settings
     * @throws IllegalArgumentException when a setting is invalid
     */
    public static ClusterSettings from(Config config) {
        Config cluster = config.get("cluster");
        String modeName = ConfigValues.string(cluster.get("mode")).trim().toUpperCase(Locale.ROOT);
        Mode mode;
        try {
            mode = Mode.valueOf(modeName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster.mode must be standalone or redis, not "
                                               + cluster.get("mode").asString().orElse(""));
        }
        Duration heartbeat = ConfigValues.duration(cluster.get("heartbeat-interval"));
        Duration timeout = ConfigValues.duration(cluster.get("node-timeout"));
        if (timeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException(
                    "cluster.node-timeout must be at least twice cluster.heartbeat-interval");
        }
        URI uri = URI.create(ConfigValues.string(cluster.get("redis.uri")).trim());
        if (mode == Mode.REDIS && !("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("cluster.redis.uri must be a redis:// or rediss:// URI, not " + uri);
        }
        Duration mirror = ConfigValues.duration(cluster.get("mirror-interval"));
        if (mirror.compareTo(heartbeat) > 0) {
            throw new IllegalArgumentException("cluster.mirror-interval must not exceed cluster.heartbeat-interval");
        }
        return new ClusterSettings(mode, uri, heartbeat, timeout, mirror);
    }
}
