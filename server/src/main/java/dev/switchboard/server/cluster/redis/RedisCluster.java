package dev.switchboard.server.cluster.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.cluster.v1.Delivery;
import dev.switchboard.cluster.v1.MemberJoined;
import dev.switchboard.cluster.v1.MemberLeft;
import dev.switchboard.cluster.v1.MemberMoved;
import dev.switchboard.cluster.v1.NodeEnvelope;
import dev.switchboard.cluster.v1.RemoteMember;
import dev.switchboard.cluster.v1.SessionClaim;
import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.cluster.v1.SessionReleased;
import dev.switchboard.cluster.v1.SessionReplaced;
import dev.switchboard.server.cluster.ClaimedSession;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterListener;
import dev.switchboard.server.cluster.ClusterMetrics;
import dev.switchboard.server.cluster.ClusterSettings;
import dev.switchboard.server.cluster.ClusterUnavailableException;
import dev.switchboard.server.cluster.JoinResult;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionMirror;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;

import static dev.switchboard.server.cluster.redis.SessionStore.bytes;
import static dev.switchboard.server.cluster.redis.SessionStore.text;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A cluster of nodes sharing rooms and sessions through one Redis server (Lettuce client).
 * <p>
 * Rooms are hashes of user id to the node and session of the member; joins and leaves change them atomically
 * (Lua) and are announced to the nodes of the other members, which keep the room's remote members in memory for
 * the relay's hot path. Signals to a remote member go to its node's stream. Sessions are mirrored into Redis as
 * they change, with a TTL, so that another node can resume one. Nodes heartbeat into a sorted set; a node whose
 * heartbeat is older than the node timeout is dead, and once the resume window has passed too, one live node
 * removes its members from their rooms, which tells their peers {@code peer_left}.
 */
public final class RedisCluster implements Cluster {
    private static final System.Logger LOG = System.getLogger("switchboard.cluster");

    private final String nodeId = UUID.randomUUID().toString();
    private final ClusterSettings settings;
    private final Duration resumeWindow;
    private final ScheduledExecutorService timers;
    private final RedisClient client;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final StatefulRedisConnection<String, byte[]> readConnection;
    private final RedisCommands<String, byte[]> redis;
    private final NodeMessenger messenger;
    private final SessionStore store;
    private final ClusterMetrics metrics;
    private final Map<String, CompletableFuture<Boolean>> claims = new ConcurrentHashMap<>();
    /** Leaves that could not reach Redis, done again when it is back: no peer keeps a member that left. */
    private final ConcurrentLinkedQueue<PendingLeave> pendingLeaves = new ConcurrentLinkedQueue<>();
    private volatile Set<String> liveNodes = Set.of();
    private volatile boolean reachable;
    private volatile ClusterListener listener;
    private volatile Supplier<Collection<Session>> localSessions = List::of;

    /**
     * Connects to Redis. The node joins the cluster at {@link #start}.
     *
     * @param settings     the cluster settings
     * @param resumeWindow how long a dropped session stays resumable
     * @param metrics      where envelopes and failed writes are counted
     */
    public RedisCluster(ClusterSettings settings, Duration resumeWindow, ClusterMetrics metrics) {
        this.metrics = metrics;
        this.settings = settings;
        this.resumeWindow = resumeWindow;
        // its own thread: a heartbeat waits on Redis, which must not delay the core's timers
        this.timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("switchboard-cluster-heartbeat").daemon().factory());
        Duration commandTimeout = settings.nodeTimeout();
        this.client = RedisClient.create(RedisURI.create(settings.redisUri()));
        // While Redis is away, commands fail at once instead of queueing without bound: callers get a clear
        // CLUSTER_UNAVAILABLE, and the node rewrites its state once the connection is back.
        client.setOptions(ClientOptions.builder()
                                  .autoReconnect(true)
                                  .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                                  .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                                  .build());
        RedisCodec<String, byte[]> codec = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        try {
            this.connection = client.connect(codec);
            this.readConnection = client.connect(codec);
        } catch (RedisException e) {
            // a node that never reached Redis has no state to ride an outage out with: refuse to start, clearly
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw new IllegalStateException("cluster.redis.uri: cannot reach Redis at " + settings.redisUri().getHost()
                                            + ":" + settings.redisUri().getPort() + " (" + e.getMessage() + ")", e);
        }
        // a blocking stream read must not count as a timed-out command
        readConnection.setTimeout(commandTimeout.plusSeconds(1));
        this.redis = connection.sync();
        this.messenger = new NodeMessenger(nodeId, connection, readConnection, commandTimeout, metrics);
        long sessionTtl = resumeWindow.plus(settings.nodeTimeout()).plus(settings.heartbeatInterval()).toMillis();
        this.store = new SessionStore(nodeId, connection.async(), sessionTtl, metrics);
    }

    /**
     * @param sessions this node's sessions, for keeping their state alive in Redis and rewriting it when Redis
     *                 lost it
     */
    public void localSessions(Supplier<Collection<Session>> sessions) {
        this.localSessions = sessions;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public boolean available() {
        return reachable && connection.isOpen();
    }

    @Override
    public void start(ClusterListener events) {
        this.listener = events;
        heartbeat();
        messenger.start(this::receive, failure -> unreachable("reading this node's stream", failure));
        long interval = settings.heartbeatInterval().toMillis();
        timers.scheduleWithFixedDelay(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
        LOG.log(INFO, "Cluster node " + nodeId + " joined through " + settings.redisUri().getHost() + ":"
                + settings.redisUri().getPort());
    }

    @Override
    public JoinResult join(String roomId, Session session, int maxMembers) throws ClusterUnavailableException {
        List<RemotePeer> members;
        try {
            List<Object> reply = redis.eval(Scripts.JOIN, ScriptOutputType.MULTI,
                                            new String[] {Keys.room(roomId), Keys.memberships(nodeId)},
                                            bytes(session.userId()), bytes(Keys.location(nodeId, session.id())),
                                            bytes(maxMembers), bytes(Keys.membership(roomId, session.userId(),
                                                                                     session.id())));
            if (reply == null) {
                return new JoinResult(false, List.of());
            }
            members = peers(reply);
        } catch (RedisException e) {
            throw new ClusterUnavailableException("joining room " + roomId, e);
        }
        List<RemotePeer> others = members.stream().filter(peer -> !peer.nodeId().equals(nodeId)).toList();
        RemotePeer self = new RemotePeer(session.userId(), session.id(), nodeId);
        for (String node : nodesOf(others)) {
            messenger.post(node, NodeEnvelope.newBuilder().setMemberJoined(
                    MemberJoined.newBuilder().setRoomId(roomId).setMember(envelope(self))));
        }
        return new JoinResult(true, others);
    }

    @Override
    public void left(String roomId, Session session, PeerLeftReason reason) {
        PendingLeave leave = new PendingLeave(roomId, new RemotePeer(session.userId(), session.id(), nodeId), reason);
        try {
            remove(leave, false);
        } catch (RedisException e) {
            pendingLeaves.add(leave);
            LOG.log(WARNING, "Leave of " + session.userId() + " from room " + roomId
                    + " kept until the cluster backend is back: " + e.getMessage());
        }
    }

    /**
     * Removes a member from a room's directory and tells the nodes of the remaining members. A leave kept while
     * Redis was away is told to them even when Redis lost the member meanwhile (a restart).
     */
    private void remove(PendingLeave leave, boolean late) {
        RemotePeer member = leave.member();
        List<Object> reply = redis.eval(Scripts.LEAVE, ScriptOutputType.MULTI,
                                        new String[] {Keys.room(leave.roomId()), Keys.memberships(member.nodeId())},
                                        bytes(member.userId()), bytes(Keys.location(member.nodeId(),
                                                                                     member.sessionId())),
                                        bytes(Keys.membership(leave.roomId(), member.userId(), member.sessionId())));
        if (reply == null && !late) {
            return;     // not a member any more: moved, replaced, or removed already
        }
        List<RemotePeer> remaining = reply == null ? peers(redis.hgetall(Keys.room(leave.roomId()))) : peers(reply);
        for (String node : nodesOf(remaining)) {
            if (node.equals(nodeId)) {
                if (!member.nodeId().equals(nodeId)) {
                    listener.memberLeft(leave.roomId(), member, leave.reason());   // reaping a dead node
                }
            } else {
                messenger.post(node, NodeEnvelope.newBuilder().setMemberLeft(
                        MemberLeft.newBuilder().setRoomId(leave.roomId()).setMember(envelope(member))
                                .setReason(leave.reason())));
            }
        }
    }

    @Override
    public void deliver(RemotePeer to, String roomId, ServerMessage message) throws ClusterUnavailableException {
        Delivery delivery = Delivery.newBuilder()
                .setRoomId(roomId)
                .setUserId(to.userId())
                .setSessionId(to.sessionId())
                .setMessage(message)
                .build();
        if (isLive(to.nodeId())) {
            messenger.send(to.nodeId(), NodeEnvelope.newBuilder().setDelivery(delivery));
            return;
        }
        // its node died: keep it with the session, for the node that resumes it
        try {
            redis.rpush(Keys.pending(to.sessionId()), delivery.toByteArray());
            redis.pexpire(Keys.pending(to.sessionId()), resumeWindow.plus(settings.nodeTimeout()).toMillis());
        } catch (RedisException e) {
            throw new ClusterUnavailableException("holding a message for " + to.userId(), e);
        }
    }

    @Override
    public SessionMirror mirror() {
        return store;
    }

    @Override
    public void opened(Session session) {
        store.opened(session);
        String location = Keys.location(nodeId, session.id());
        connection.async().setGet(Keys.user(session.userId()), bytes(location),
                                  SetArgs.Builder.px(store.ttlMs()))
                .thenAccept(previous -> {
                    String older = text(previous);
                    if (older != null && !older.equals(location)) {
                        String node = older.substring(0, older.indexOf('|'));
                        if (!node.equals(nodeId) && isLive(node)) {
                            messenger.post(node, NodeEnvelope.newBuilder().setSessionReplaced(
                                    SessionReplaced.newBuilder().setUserId(session.userId())
                                            .setSessionId(session.id())));
                        }
                    }
                });
    }

    @Override
    public void saved(Session session) {
        store.saved(session);
    }

    @Override
    public void ended(Session session) {
        store.ended(session);
    }

    @Override
    public Optional<ClaimedSession> claim(String resumeToken) throws ClusterUnavailableException {
        try {
            String sessionId = text(redis.get(Keys.resume(resumeToken)));
            String owner = sessionId == null ? null : text(redis.get(Keys.owner(sessionId)));
            byte[] stored = sessionId == null ? null : redis.get(Keys.record(sessionId));
            if (owner == null || stored == null || owner.equals(nodeId)) {
                return Optional.empty();
            }
            SessionRecord record = SessionRecord.parseFrom(stored);
            Handover handover = isLive(owner) ? handOver(owner, record) : Handover.OWNER_DEAD;
            if (handover == Handover.REFUSED) {
                return Optional.empty();
            }
            List<String> keys = new ArrayList<>(List.of(Keys.owner(sessionId), Keys.memberships(owner),
                                                        Keys.memberships(nodeId)));
            List<byte[]> args = new ArrayList<>(List.of(bytes(owner), bytes(nodeId), bytes(record.getUserId()),
                                                        bytes(sessionId), bytes(store.ttlMs())));
            for (String roomId : record.getRoomIdsList()) {
                keys.add(Keys.room(roomId));
                args.add(bytes(roomId));
            }
            List<Object> kept = redis.eval(Scripts.CLAIM, ScriptOutputType.MULTI, keys.toArray(String[]::new),
                                           args.toArray(byte[][]::new));
            if (kept == null) {
                return Optional.empty();    // another node claimed it first
            }
            List<ServerMessage> replay = new ArrayList<>();
            for (byte[] message : redis.lrange(Keys.replay(sessionId), 0, -1)) {
                replay.add(ServerMessage.parseFrom(message));
            }
            List<ServerMessage> pending = new ArrayList<>();
            if (handover == Handover.OWNER_DEAD) {
                // sent to the node after it died, before the senders saw it dead
                messenger.unread(owner, sessionId).forEach(delivery -> pending.add(delivery.getMessage()));
            }
            for (byte[] delivery : redis.lrange(Keys.pending(sessionId), 0, -1)) {
                pending.add(Delivery.parseFrom(delivery).getMessage());
            }
            redis.del(Keys.pending(sessionId));
            String last = text(redis.get(Keys.lastSequence(sessionId)));
            long lastSequence = Math.max(last == null ? 0 : Long.parseLong(last),
                                         replay.isEmpty() ? 0 : replay.getLast().getSequence());
            redis.set(Keys.user(record.getUserId()), bytes(Keys.location(nodeId, sessionId)),
                      SetArgs.Builder.px(store.ttlMs()));
            List<String> rooms = kept.stream().skip(1).map(room -> text((byte[]) room)).toList();
            LOG.log(INFO, "Session " + sessionId + " of " + record.getUserId() + " taken over from node " + owner
                    + (handover == Handover.OWNER_DEAD ? " (dead)" : ""));
            return Optional.of(new ClaimedSession(record, lastSequence, replay, pending, rooms));
        } catch (RedisException e) {
            throw new ClusterUnavailableException("resuming a session of another node", e);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("unreadable session state in Redis", e);
        }
    }

    /**
     * Asks a live owner to hand a session over, and waits for its answer, or for the owner to turn out dead: a
     * node that was killed a moment ago still looks alive until its heartbeat is a node timeout old.
     */
    private Handover handOver(String owner, SessionRecord record) throws ClusterUnavailableException {
        CompletableFuture<Boolean> released = new CompletableFuture<>();
        claims.put(record.getSessionId(), released);
        try {
            messenger.send(owner, NodeEnvelope.newBuilder().setSessionClaim(
                    SessionClaim.newBuilder().setSessionId(record.getSessionId()).setUserId(record.getUserId())
                            .setClaimerNodeId(nodeId)));
            return released.get(settings.nodeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    ? Handover.RELEASED : Handover.REFUSED;
        } catch (TimeoutException e) {
            if (!beatWithin(owner, settings.nodeTimeout())) {
                return Handover.OWNER_DEAD;
            }
            throw new ClusterUnavailableException("node " + owner + " did not hand the session over", e);
        } catch (ExecutionException e) {
            throw new ClusterUnavailableException("node " + owner + " did not hand the session over", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnavailableException("waiting for node " + owner, e);
        } finally {
            claims.remove(record.getSessionId());
        }
    }

    @Override
    public void moved(Session session, List<RemotePeer> peers) {
        RemotePeer self = new RemotePeer(session.userId(), session.id(), nodeId);
        for (String node : nodesOf(peers)) {
            messenger.post(node, NodeEnvelope.newBuilder().setMemberMoved(
                    MemberMoved.newBuilder().addAllRoomIds(session.rooms()).setMember(envelope(self))));
        }
        store.saved(session);
    }

    @Override
    public List<RemotePeer> remoteMembers(String roomId) throws ClusterUnavailableException {
        try {
            return peers(redis.hgetall(Keys.room(roomId))).stream()
                    .filter(peer -> !peer.nodeId().equals(nodeId))
                    .toList();
        } catch (RedisException e) {
            throw new ClusterUnavailableException("reading room " + roomId, e);
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        messenger.close();
        readConnection.close();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }

    private void receive(NodeEnvelope envelope) {
        String from = envelope.getFromNodeId();
        switch (envelope.getBodyCase()) {
            case DELIVERY -> {
                Delivery delivery = envelope.getDelivery();
                if (!listener.deliver(delivery.getRoomId(), delivery.getUserId(), delivery.getSessionId(),
                                      delivery.getMessage())) {
                    forward(delivery);
                }
            }
            case MEMBER_JOINED -> listener.memberJoined(envelope.getMemberJoined().getRoomId(),
                                                        peer(envelope.getMemberJoined().getMember()));
            case MEMBER_LEFT -> listener.memberLeft(envelope.getMemberLeft().getRoomId(),
                                                    peer(envelope.getMemberLeft().getMember()),
                                                    envelope.getMemberLeft().getReason());
            case MEMBER_MOVED -> listener.memberMoved(envelope.getMemberMoved().getRoomIdsList(),
                                                      peer(envelope.getMemberMoved().getMember()));
            case SESSION_CLAIM -> {
                SessionClaim claim = envelope.getSessionClaim();
                boolean released = listener.release(claim.getUserId(), claim.getSessionId(),
                                                    claim.getClaimerNodeId());
                // posted after the released session's last writes, on the same connection: Redis has them first
                messenger.post(from, NodeEnvelope.newBuilder().setSessionReleased(
                        SessionReleased.newBuilder().setSessionId(claim.getSessionId()).setReleased(released)));
            }
            case SESSION_RELEASED -> {
                CompletableFuture<Boolean> waiting = claims.get(envelope.getSessionReleased().getSessionId());
                if (waiting != null) {
                    waiting.complete(envelope.getSessionReleased().getReleased());
                }
            }
            case SESSION_REPLACED -> listener.replaced(envelope.getSessionReplaced().getUserId(),
                                                       envelope.getSessionReplaced().getSessionId());
            default -> LOG.log(WARNING, "Unknown envelope from node " + from + ": " + envelope.getBodyCase());
        }
    }

    /** A delivery for a session that no longer lives here goes on to where it lives now, if it still does. */
    private void forward(Delivery delivery) {
        try {
            String location = text(redis.hget(Keys.room(delivery.getRoomId()), delivery.getUserId()));
            RemotePeer now = location == null ? null : peer(delivery.getUserId(), location);
            if (now != null && now.sessionId().equals(delivery.getSessionId()) && !now.nodeId().equals(nodeId)) {
                deliver(now, delivery.getRoomId(), delivery.getMessage());
                return;
            }
        } catch (RedisException | ClusterUnavailableException e) {
            LOG.log(WARNING, "Could not forward a " + delivery.getMessage().getPayloadCase() + " for "
                    + delivery.getUserId() + ": " + e.getMessage());
            return;
        }
        metrics.envelopes("undeliverable", 1);
        LOG.log(INFO, "Dropped a " + delivery.getMessage().getPayloadCase() + " for " + delivery.getUserId()
                + ": its session " + delivery.getSessionId() + " has ended");
    }

    private void heartbeat() {
        try {
            long now = System.currentTimeMillis();
            byte[] wasAlive = redis.setGet(Keys.alive(nodeId), bytes(now),
                                           SetArgs.Builder.px(settings.nodeTimeout().toMillis()));
            redis.zadd(Keys.NODES, now, bytes(nodeId));
            long liveSince = now - settings.nodeTimeout().toMillis();
            Set<String> live = new LinkedHashSet<>();
            redis.zrangebyscore(Keys.NODES, Range.create(liveSince, Double.POSITIVE_INFINITY))
                    .forEach(node -> live.add(text(node)));
            liveNodes = Set.copyOf(live);
            boolean recovered = !reachable;
            reachable = true;
            if (wasAlive == null || recovered || store.takeStale()) {
                rewrite(wasAlive == null);
            }
            for (Session session : localSessions.get()) {
                store.touch(session);
            }
            reapDeadNodes(liveSince - resumeWindow.toMillis());
        } catch (RedisException e) {
            unreachable("heart-beating", e);
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Cluster heartbeat failed", e);
        }
    }

    /** Writes this node's sessions and memberships again, and the leaves that could not be written. */
    private void rewrite(boolean lost) {
        int sessions = 0;
        for (Session session : localSessions.get()) {
            store.rewrite(session);
            for (String roomId : session.rooms()) {
                redis.hset(Keys.room(roomId), session.userId(), bytes(Keys.location(nodeId, session.id())));
                redis.sadd(Keys.memberships(nodeId), bytes(Keys.membership(roomId, session.userId(), session.id())));
            }
            sessions++;
        }
        PendingLeave leave;
        while ((leave = pendingLeaves.peek()) != null) {
            remove(leave, true);
            pendingLeaves.poll();
        }
        LOG.log(INFO, "Cluster backend " + (lost ? "had lost this node's state" : "is reachable again")
                + ": rewrote " + sessions + " sessions");
    }

    private void reapDeadNodes(long deadBefore) {
        for (byte[] dead : redis.zrangebyscore(Keys.NODES, Range.create(Double.NEGATIVE_INFINITY, deadBefore))) {
            String node = text(dead);
            if (node.equals(nodeId)
                    || !"OK".equals(redis.set(Keys.reaper(node), bytes(nodeId), SetArgs.Builder.nx().px(60_000)))) {
                continue;   // another node reaps it
            }
            int removed = 0;
            for (byte[] entry : redis.smembers(Keys.memberships(node))) {
                String[] parts = text(entry).split("\n", 3);
                remove(new PendingLeave(parts[0], new RemotePeer(parts[1], parts[2], node),
                                        PeerLeftReason.PEER_LEFT_REASON_TIMEOUT), false);
                if (node.equals(text(redis.get(Keys.owner(parts[2]))))) {
                    // its peers were told it left: a late resume must fail and start afresh, not come back
                    // in no room while the client believes it is in them
                    store.forget(parts[2]);
                }
                removed++;
            }
            redis.del(Keys.memberships(node), Keys.inbox(node), Keys.alive(node), Keys.readUpTo(node));
            redis.zrem(Keys.NODES, dead);
            LOG.log(INFO, "Node " + node + " stopped heart-beating; its " + removed
                    + " room memberships were removed after the resume window");
        }
    }

    private void unreachable(String what, RuntimeException failure) {
        if (reachable) {
            LOG.log(WARNING, "Cluster backend unreachable while " + what + ": " + failure.getMessage()
                    + "; joins and cross-node signals are refused until it is back");
        }
        reachable = false;
    }

    private boolean isLive(String node) {
        if (liveNodes.contains(node)) {
            return true;
        }
        // a node that started since the last heartbeat: ask Redis rather than treat it as dead
        return beatWithin(node, settings.nodeTimeout());
    }

    private boolean beatWithin(String node, Duration age) {
        Double beat = redis.zscore(Keys.NODES, bytes(node));
        return beat != null && beat > System.currentTimeMillis() - age.toMillis();
    }

    /** How a claim's owner answered. */
    private enum Handover {
        /** It handed the session over. */
        RELEASED,
        /** It no longer has the session. */
        REFUSED,
        /** It is dead: the session's state in Redis is all there is. */
        OWNER_DEAD
    }

    private static List<RemotePeer> peers(Map<String, byte[]> hash) {
        List<RemotePeer> peers = new ArrayList<>();
        hash.forEach((user, location) -> peers.add(peer(user, text(location))));
        return peers;
    }

    private static List<RemotePeer> peers(List<Object> hashReply) {
        List<RemotePeer> peers = new ArrayList<>();
        for (int i = 0; i + 1 < hashReply.size(); i += 2) {
            peers.add(peer(text((byte[]) hashReply.get(i)), text((byte[]) hashReply.get(i + 1))));
        }
        return peers;
    }

    private static RemotePeer peer(String userId, String location) {
        int bar = location.indexOf('|');
        return new RemotePeer(userId, location.substring(bar + 1), location.substring(0, bar));
    }

    private static RemotePeer peer(RemoteMember member) {
        return new RemotePeer(member.getUserId(), member.getSessionId(), member.getNodeId());
    }

    private static RemoteMember envelope(RemotePeer peer) {
        return RemoteMember.newBuilder()
                .setUserId(peer.userId())
                .setSessionId(peer.sessionId())
                .setNodeId(peer.nodeId())
                .build();
    }

    private static Set<String> nodesOf(List<RemotePeer> peers) {
        Set<String> nodes = new LinkedHashSet<>();
        peers.forEach(peer -> nodes.add(peer.nodeId()));
        return nodes;
    }

    /** A leave to write to the directory. */
    private record PendingLeave(String roomId, RemotePeer member, PeerLeftReason reason) {
    }
}
