package dev.switchboard.server.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.cluster.v1.Delivery;
import dev.switchboard.cluster.v1.NodeEnvelope;
import dev.switchboard.server.cluster.ClusterMetrics;
import dev.switchboard.server.cluster.ClusterUnavailableException;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Envelopes between nodes: each node reads its own Redis stream; others append to it.
 * <p>
 * Envelopes from one node to another are numbered per pair. Appends go out in number order over one connection,
 * so a stream holds them in order; the reader applies each number once and in order, drops a number it has seen
 * (a duplicate) and logs a gap (envelopes lost, e.g. with a Redis restart) instead of hiding it.
 */
final class NodeMessenger {
    private static final System.Logger LOG = System.getLogger("switchboard.cluster");
    private static final String FIELD = "e";
    /** Envelopes a node's stream keeps, however slowly the node reads: a dead node's stream stops growing. */
    private static final long STREAM_LIMIT = 100_000;

    private final String nodeId;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> commands;
    private final StatefulRedisConnection<String, byte[]> reading;
    private final Duration timeout;
    private final ClusterMetrics metrics;
    private final Map<String, Long> sentTo = new HashMap<>();     // guarded by itself
    private final Map<String, Long> receivedFrom = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private Thread reader;

    NodeMessenger(String nodeId, StatefulRedisConnection<String, byte[]> commands,
                  StatefulRedisConnection<String, byte[]> reading, Duration timeout, ClusterMetrics metrics) {
        this.metrics = metrics;
        this.nodeId = nodeId;
        this.connection = commands;
        this.commands = commands.async();
        this.reading = reading;
        this.timeout = timeout;
    }

    /**
     * Appends an envelope to another node's stream and waits until Redis has it.
     *
     * @param to       the node
     * @param envelope the envelope, without sender and number
     * @throws ClusterUnavailableException when Redis did not take it
     */
    void send(String to, NodeEnvelope.Builder envelope) throws ClusterUnavailableException {
        var appended = append(to, envelope);
        try {
            appended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ClusterUnavailableException("sending to node " + to, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException("sending to node " + to, e);
        }
    }

    /**
     * Appends an envelope to another node's stream without waiting; a failure is logged.
     *
     * @param to       the node
     * @param envelope the envelope, without sender and number
     */
    void post(String to, NodeEnvelope.Builder envelope) {
        append(to, envelope).exceptionally(failure -> {
            LOG.log(WARNING, "Could not tell node " + to + " about " + envelope.getBodyCase() + ": " + failure);
            return null;
        });
    }

    private java.util.concurrent.CompletableFuture<String> append(String to, NodeEnvelope.Builder envelope) {
        // numbering and appending in one step, so the stream holds envelopes in number order
        synchronized (sentTo) {
            long sequence = sentTo.merge(to, 1L, Long::sum);
            byte[] bytes = envelope.setFromNodeId(nodeId).setSequence(sequence).build().toByteArray();
            return commands.xadd(Keys.inbox(to), XAddArgs.Builder.maxlen(STREAM_LIMIT).approximateTrimming(),
                                 Map.of(FIELD, bytes))
                    .toCompletableFuture()
                    .whenComplete((id, failure) -> {
                        if (failure == null) {
                            metrics.envelopes("sent", 1);
                        }
                    });
        }
    }

    /**
     * Starts reading this node's stream on a thread of its own.
     *
     * @param handler applies one envelope
     * @param onFailure told when Redis could not be read (the reader retries)
     */
    void start(Consumer<NodeEnvelope> handler, Consumer<RuntimeException> onFailure) {
        reader = Thread.ofPlatform().name("switchboard-cluster-reader").daemon().start(() -> read(handler, onFailure));
    }

    private void read(Consumer<NodeEnvelope> handler, Consumer<RuntimeException> onFailure) {
        String lastId = "0-0";
        XReadArgs block = XReadArgs.Builder.block(Duration.ofMillis(500)).count(256);
        while (running) {
            List<StreamMessage<String, byte[]>> batch;
            try {
                batch = reading.sync().xread(block, XReadArgs.StreamOffset.from(Keys.inbox(nodeId), lastId));
            } catch (RedisException e) {
                if (!running) {
                    return;
                }
                onFailure.accept(e);
                pause();
                continue;
            }
            for (StreamMessage<String, byte[]> message : batch) {
                lastId = message.getId();
                try {
                    NodeEnvelope envelope = NodeEnvelope.parseFrom(message.getBody().get(FIELD));
                    if (inOrder(envelope)) {
                        handler.accept(envelope);
                    }
                } catch (InvalidProtocolBufferException | RuntimeException e) {
                    LOG.log(WARNING, "Could not apply an envelope from the cluster stream", e);
                }
            }
            if (!batch.isEmpty()) {
                // should this node die, a node resuming its sessions takes what it had not read yet
                commands.set(Keys.readUpTo(nodeId), lastId.getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    /** Whether to apply an envelope: its number must be new from its sender; a gap is logged. */
    private boolean inOrder(NodeEnvelope envelope) {
        long last = receivedFrom.getOrDefault(envelope.getFromNodeId(), 0L);
        if (envelope.getSequence() <= last) {
            metrics.envelopes("duplicate", 1);
            LOG.log(DEBUG, "Duplicate envelope " + envelope.getSequence() + " from node " + envelope.getFromNodeId()
                    + " dropped");
            return false;
        }
        if (envelope.getSequence() != last + 1 && last > 0) {
            metrics.envelopes("lost", envelope.getSequence() - last - 1);
            LOG.log(WARNING, (envelope.getSequence() - last - 1) + " envelopes from node "
                    + envelope.getFromNodeId() + " were lost (after " + last + ")");
        }
        receivedFrom.put(envelope.getFromNodeId(), envelope.getSequence());
        metrics.envelopes("received", 1);
        return true;
    }

    private void pause() {
        try {
            Thread.sleep(250);     // Redis is away: retry at a gentle pace until it is back
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * The deliveries for a session that a dead node's stream holds and the node never read.
     *
     * @param node      the dead node
     * @param sessionId the session
     * @return them, in order
     */
    List<Delivery> unread(String node, String sessionId) {
        byte[] marker = connection.sync().get(Keys.readUpTo(node));
        Range<String> after = marker == null ? Range.unbounded()
                : Range.from(Range.Boundary.excluding(new String(marker, StandardCharsets.US_ASCII)),
                             Range.Boundary.unbounded());
        List<Delivery> deliveries = new ArrayList<>();
        for (StreamMessage<String, byte[]> message : connection.sync().xrange(Keys.inbox(node), after)) {
            try {
                NodeEnvelope envelope = NodeEnvelope.parseFrom(message.getBody().get(FIELD));
                if (envelope.hasDelivery() && envelope.getDelivery().getSessionId().equals(sessionId)) {
                    deliveries.add(envelope.getDelivery());
                }
            } catch (InvalidProtocolBufferException e) {
                LOG.log(WARNING, "Unreadable envelope in node " + node + "'s stream", e);
            }
        }
        return deliveries;
    }

    void close() {
        running = false;
        if (reader != null) {
            reader.interrupt();
        }
    }
}
