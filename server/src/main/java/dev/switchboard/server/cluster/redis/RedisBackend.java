package dev.switchboard.server.cluster.redis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.switchboard.server.cluster.backend.ClusterBackend;
import dev.switchboard.server.cluster.backend.Directory;
import dev.switchboard.server.cluster.backend.Mailboxes;
import dev.switchboard.server.cluster.backend.NodeRegistry;
import dev.switchboard.server.cluster.backend.SessionStore;
import dev.switchboard.server.cluster.backend.StoreOp;
import dev.switchboard.server.cluster.backend.WriteBatch;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

/**
 * The cluster backend in one Redis server (Lettuce client), over three connections: one for commands that answer
 * a caller (directory changes, resumes, heartbeats), one that only the node's writer uses, pipelined (a batch is
 * issued whole and flushed once), and one that blocks reading the node's mailbox.
 */
public final class RedisBackend implements ClusterBackend {
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> commands;
    private final StatefulRedisConnection<String, byte[]> writing;
    private final StatefulRedisConnection<String, byte[]> reading;
    private final RedisAsyncCommands<String, byte[]> pipeline;
    private final RedisDirectory directory;
    private final RedisMailboxes mailboxes;
    private final RedisSessions sessions;
    private final RedisNodes nodes;
    private volatile boolean scriptsLost = true;

    private RedisBackend(RedisClient client, StatefulRedisConnection<String, byte[]> commands,
                         StatefulRedisConnection<String, byte[]> writing,
                         StatefulRedisConnection<String, byte[]> reading) {
        this.client = client;
        this.commands = commands;
        this.writing = writing;
        this.reading = reading;
        writing.setAutoFlushCommands(false);
        this.pipeline = writing.async();
        this.directory = new RedisDirectory(commands);
        this.mailboxes = new RedisMailboxes(commands, reading);
        this.sessions = new RedisSessions(commands);
        this.nodes = new RedisNodes(commands, () -> scriptsLost = true);
        loadScripts();
    }

    /**
     * Connects to Redis.
     *
     * @param uri            the Redis server
     * @param commandTimeout how long a command may take before it fails
     * @return the backend
     * @throws IllegalStateException when Redis cannot be reached: a node that never reached it has no state to
     *                               ride an outage out with, so it must not start
     */
    public static RedisBackend connect(URI uri, Duration commandTimeout) {
        RedisClient client = RedisClient.create(RedisURI.create(uri));
        // While Redis is away, commands fail at once instead of queueing without bound: callers get a clear
        // CLUSTER_UNAVAILABLE, and the node writes its state again once the connection is back.
        client.setOptions(ClientOptions.builder()
                                  .autoReconnect(true)
                                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                  .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                                  .build());
        RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        try {
            StatefulRedisConnection<String, byte[]> reading = client.connect(codec);
            // a blocking mailbox read must not count as a timed-out command
            reading.setTimeout(commandTimeout.plusSeconds(1));
            return new RedisBackend(client, client.connect(codec), client.connect(codec), reading);
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw new IllegalStateException("cluster.redis.uri: cannot reach Redis at " + uri.getHost() + ":"
                                            + uri.getPort() + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public Directory directory() {
        return directory;
    }

    @Override
    public Mailboxes mailboxes() {
        return mailboxes;
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public NodeRegistry nodes() {
        return nodes;
    }

    /** Issues the whole batch on the pipelined connection, flushes it once, and completes when all is applied. */
    @Override
    public CompletionStage<Void> write(WriteBatch batch) {
        if (scriptsLost) {
            loadScripts();
        }
        List<CompletableFuture<?>> applied = new ArrayList<>();
        batch.envelopes().forEach((node, envelopes) -> applied.add(
                RedisMailboxes.append(pipeline, node, envelopes).toCompletableFuture()));
        for (StoreOp op : batch.store()) {
            applied.add(RedisSessions.write(pipeline, op).toCompletableFuture());
        }
        writing.flushCommands();
        return CompletableFuture.allOf(applied.toArray(CompletableFuture<?>[]::new)).whenComplete((done, failure) -> {
            if (failure != null && failure.getCause() instanceof RedisNoScriptException) {
                scriptsLost = true;
            }
        });
    }

    /** Redis forgets scripts when it restarts: they are sent again before the next pipelined write needs them. */
    private void loadScripts() {
        try {
            Scripts.load(commands.async()).join();
            scriptsLost = false;
        } catch (RuntimeException e) {
            scriptsLost = true;     // Redis is away: the write fails on its own, and this is tried again
        }
    }

    @Override
    public boolean available() {
        return commands.isOpen();
    }

    @Override
    public void close() {
        mailboxes.close();
        reading.close();
        writing.close();
        commands.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
}
