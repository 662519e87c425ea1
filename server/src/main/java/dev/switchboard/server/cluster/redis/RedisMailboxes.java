package dev.switchboard.server.cluster.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.cluster.v1.EnvelopeBatch;
import dev.switchboard.cluster.v1.NodeEnvelope;
import dev.switchboard.server.cluster.backend.Mailboxes;
import dev.switchboard.signaling.v1.ServerMessage;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The nodes' mailboxes in Redis: one stream per node, each entry one {@link EnvelopeBatch} (what one write of one
 * node carried for it). A node reads its stream on a thread of its own with a blocking XREAD, and records how far
 * it read, so that a node resuming its sessions after it died can take what it never saw; what it read is trimmed
 * away every {@value #TRIM_EVERY} entries.
 */
final class RedisMailboxes implements Mailboxes {
    private static final System.Logger LOG = System.getLogger("switchboard.cluster");
    private static final String FIELD = "e";
    /** Entries a node's stream keeps, however slowly the node reads: a dead node's stream stops growing. */
    private static final long STREAM_LIMIT = 100_000;
    private static final XAddArgs APPEND = XAddArgs.Builder.maxlen(STREAM_LIMIT).approximateTrimming();
    /** Entries a node reads between two trims of what it read (one command per this many entries). */
    private static final int TRIM_EVERY = 256;

    private final StatefulRedisConnection<String, byte[]> commands;
    private final StatefulRedisConnection<String, byte[]> reading;
    private volatile boolean running = true;
    private volatile Thread reader;

    RedisMailboxes(StatefulRedisConnection<String, byte[]> commands, StatefulRedisConnection<String, byte[]> reading) {
        this.commands = commands;
        this.reading = reading;
    }

    /** Appends one node's envelopes as one entry, on the caller's (pipelined) connection. */
    static RedisFuture<String> append(RedisAsyncCommands<String, byte[]> redis, String nodeId,
                                      List<NodeEnvelope> envelopes) {
        byte[] batch = EnvelopeBatch.newBuilder().addAllEnvelopes(envelopes).build().toByteArray();
        return redis.xadd(Keys.inbox(nodeId), APPEND, Map.of(FIELD, batch));
    }

    @Override
    public void read(String nodeId, Consumer<NodeEnvelope> handler, Consumer<RuntimeException> onFailure) {
        reader = Thread.ofPlatform().name("switchboard-cluster-reader").daemon()
                .start(() -> readLoop(nodeId, handler, onFailure));
    }

    private void readLoop(String nodeId, Consumer<NodeEnvelope> handler, Consumer<RuntimeException> onFailure) {
        String lastId = "0-0";
        int readSinceTrim = 0;
        XReadArgs block = XReadArgs.Builder.block(Duration.ofMillis(500)).count(64);
        while (running) {
            List<StreamMessage<String, byte[]>> entries;
            try {
                entries = reading.sync().xread(block, XReadArgs.StreamOffset.from(Keys.inbox(nodeId), lastId));
            } catch (RedisException e) {
                if (!running) {
                    return;
                }
                onFailure.accept(e);
                if (!pause()) {
                    return;
                }
                continue;
            }
            for (StreamMessage<String, byte[]> entry : entries) {
                lastId = entry.getId();
                envelopes(entry).forEach(handler);
            }
            if (!entries.isEmpty()) {
                // should this node die, a node resuming its sessions takes what it had not read yet
                commands.async().set(Keys.readUpTo(nodeId), lastId.getBytes(StandardCharsets.US_ASCII));
                readSinceTrim += entries.size();
                if (readSinceTrim >= TRIM_EVERY) {
                    // what was read is needed by no one: without this the stream kept STREAM_LIMIT entries,
                    // hundreds of MiB of Redis memory under load (trimmed after the marker, in the same order)
                    commands.async().xtrim(Keys.inbox(nodeId), XTrimArgs.Builder.minId(lastId).approximateTrimming());
                    readSinceTrim = 0;
                }
            }
        }
    }

    @Override
    public List<NodeEnvelope> unread(String nodeId) {
        byte[] marker = commands.sync().get(Keys.readUpTo(nodeId));
        Range<String> after = marker == null ? Range.unbounded()
                : Range.from(Range.Boundary.excluding(new String(marker, StandardCharsets.US_ASCII)),
                             Range.Boundary.unbounded());
        List<NodeEnvelope> unread = new ArrayList<>();
        for (StreamMessage<String, byte[]> entry : commands.sync().xrange(Keys.inbox(nodeId), after)) {
            unread.addAll(envelopes(entry));
        }
        return unread;
    }

    void close() {
        running = false;
        Thread thread = reader;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * The envelopes of one entry. Parsing decodes each SDP from UTF-8 into a string; it is held as bytes again at
     * once (protobuf keeps the form a field was last read in), so that the socket write and the session mirror
     * copy it instead of each encoding it anew, as for a signal relayed on one node.
     */
    private static List<NodeEnvelope> envelopes(StreamMessage<String, byte[]> entry) {
        try {
            List<NodeEnvelope> envelopes = EnvelopeBatch.parseFrom(entry.getBody().get(FIELD)).getEnvelopesList();
            for (NodeEnvelope envelope : envelopes) {
                ServerMessage message = envelope.getDelivery().getMessage();
                if (message.hasOffer()) {
                    message.getOffer().getSdpBytes();
                } else if (message.hasAnswer()) {
                    message.getAnswer().getSdpBytes();
                }
            }
            return envelopes;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            LOG.log(WARNING, "Unreadable entry " + entry.getId() + " in a cluster mailbox", e);
            return List.of();
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(250);     // Redis is away: retry at a gentle pace until it is back
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
