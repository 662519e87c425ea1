package dev.switchboard.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.Bye;
import dev.switchboard.signaling.v1.AckMode;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.Error;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.HeartbeatPolicy;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.IceConnectionState;
import dev.switchboard.signaling.v1.IceGatheringState;
import dev.switchboard.signaling.v1.IceServer;
import dev.switchboard.signaling.v1.Join;
import dev.switchboard.signaling.v1.Leave;
import dev.switchboard.signaling.v1.MediaState;
import dev.switchboard.signaling.v1.MediaUpdate;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.Ping;
import dev.switchboard.signaling.v1.RoomJoined;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalingServiceGrpc;
import dev.switchboard.signaling.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A Switchboard session over gRPC, kept alive for the application.
 * <p>
 * The client numbers every message, keeps what the server has not confirmed, and re-sends it after a resume;
 * it drops replayed duplicates, so each relayed signal reaches the listener exactly once. It pings when it has
 * nothing to say, treats a server silent past the heartbeat timeout as gone, and reconnects on any drop with the
 * backoff and jitter the server advertised, resuming the session (or, when the server no longer has it, opening a
 * fresh one and rejoining its rooms).
 * <p>
 * Thread-safe: every method may be called from any thread. All state lives on one client thread, where the
 * listener is called too.
 *
 * <pre>{@code
 * try (SwitchboardClient client = SwitchboardClient.builder()
 *         .target("127.0.0.1", 8080)
 *         .userId("alice")
 *         .listener(new SignalingListener() {
 *             public void onAnswer(Answer answer) { peerConnection.setRemoteDescription(answer.getSdp()); }
 *         })
 *         .build()) {
 *     client.connect().get(10, TimeUnit.SECONDS);
 *     client.join("r1").get(10, TimeUnit.SECONDS);
 *     client.sendOffer("r1", "bob", offerSdp);
 * }
 * }</pre>
 */
public final class SwitchboardClient implements AutoCloseable {
    /** The client's name and version in {@code hello}, for the server's logs. */
    public static final String CLIENT_NAME = "switchboard-java";
    private static final String CLIENT_VERSION = "0.1.0";
    private static final System.Logger LOG = System.getLogger("switchboard.client");
    private static final HeartbeatPolicy DEFAULT_HEARTBEAT = HeartbeatPolicy.newBuilder()
            .setIntervalMs(5_000).setTimeoutMs(15_000).build();
    private static final int OUTBOUND_CAPACITY = 1024;
    /** How long {@link #close} waits for the server to take the bye before it cancels the stream. */
    private static final Duration BYE_WAIT = Duration.ofSeconds(2);

    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private final String userId;
    private final Supplier<String> token;
    private final SignalingListener listener;
    private final ScheduledExecutorService loop;
    private final CompletableFuture<Welcome> firstWelcome = new CompletableFuture<>();

    // Confined to the loop thread.
    private final OutboundLog outbound = new OutboundLog(OUTBOUND_CAPACITY);
    private final Set<String> rooms = new LinkedHashSet<>();
    private Link link;
    private String resumeToken = "";
    private long lastReceived;
    private long nextSequence = 1;
    private HeartbeatPolicy heartbeat = DEFAULT_HEARTBEAT;
    private ReconnectBackoff backoff = new ReconnectBackoff(ReconnectBackoff.DEFAULT_POLICY,
                                                            () -> ThreadLocalRandom.current().nextDouble());
    private int reconnectAttempt;
    private boolean started;
    private boolean closed;
    private volatile List<IceServer> iceServers = List.of();
    private volatile String sessionId = "";

    private SwitchboardClient(Builder builder) {
        this.channel = builder.channel != null ? builder.channel
                : ManagedChannelBuilder.forAddress(builder.host, builder.port).usePlaintext().build();
        this.ownsChannel = builder.channel == null;
        this.userId = builder.userId;
        this.token = builder.token;
        this.listener = builder.listener;
        String threadName = "switchboard-client-" + userId;
        this.loop = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, threadName);   // Java 17: no Thread.ofPlatform()
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the session. Until the server answers, the client keeps trying with backoff.
     *
     * @return completes with the first {@code welcome}; fails when the server refuses the client (bad token) or
     *         the client is closed first
     */
    public CompletableFuture<Welcome> connect() {
        loop.execute(() -> {
            if (!started && !closed) {
                started = true;
                openLink();
                tick();
            }
        });
        return firstWelcome;
    }

    /**
     * Enters a room. The client rejoins it by itself if it ever has to open a fresh session.
     *
     * @param roomId the room
     * @return completes with the room's other members and the client's role towards each
     */
    public CompletableFuture<RoomJoined> join(String roomId) {
        return request(ClientMessage.newBuilder().setJoin(Join.newBuilder().setRoomId(roomId)))
                .thenApply(ServerMessage::getRoomJoined);
    }

    /**
     * Leaves a room.
     *
     * @param roomId the room
     * @return completes when the server confirms
     */
    public CompletableFuture<Void> leave(String roomId) {
        return request(ClientMessage.newBuilder().setLeave(Leave.newBuilder().setRoomId(roomId)))
                .thenApply(reply -> null);
    }

    /**
     * Sends an SDP offer to a peer in a room.
     *
     * @param roomId       room both are in
     * @param targetUserId the peer
     * @param sdp          the offer's SDP
     * @return completes with the server's ack: relayed, duplicate, stale, or refused with a code
     */
    public CompletableFuture<Ack> sendOffer(String roomId, String targetUserId, String sdp) {
        return signal(ClientMessage.newBuilder().setOffer(
                Offer.newBuilder().setRoomId(roomId).setTargetUserId(targetUserId).setSdp(sdp)));
    }

    /**
     * Sends an SDP answer to a peer in a room.
     *
     * @param roomId       room both are in
     * @param targetUserId the peer
     * @param sdp          the answer's SDP
     * @return completes with the server's ack
     */
    public CompletableFuture<Ack> sendAnswer(String roomId, String targetUserId, String sdp) {
        return signal(ClientMessage.newBuilder().setAnswer(
                Answer.newBuilder().setRoomId(roomId).setTargetUserId(targetUserId).setSdp(sdp)));
    }

    /**
     * Sends a trickled ICE candidate to a peer in a room.
     *
     * @param roomId       room both are in
     * @param targetUserId the peer
     * @param candidate    the candidate: {@code candidate}, {@code sdp_mid}, {@code sdp_mline_index} and its ICE
     *                     {@code username_fragment} (room and target are set here)
     * @return completes with the server's ack
     */
    public CompletableFuture<Ack> sendIceCandidate(String roomId, String targetUserId, IceCandidate candidate) {
        return signal(ClientMessage.newBuilder().setIceCandidate(
                candidate.toBuilder().setRoomId(roomId).setTargetUserId(targetUserId)));
    }

    /**
     * Reports the application's RTCPeerConnection states towards a peer, so the server can monitor the pair and
     * ask for an ICE restart when it fails. No reply.
     *
     * @param roomId       room both are in
     * @param targetUserId the peer
     * @param connection   connectionState
     * @param ice          iceConnectionState
     * @param gathering    iceGatheringState
     */
    public void reportState(String roomId, String targetUserId, PeerConnectionState connection,
                            IceConnectionState ice, IceGatheringState gathering) {
        send(ClientMessage.newBuilder().setConnectionStateUpdate(
                ConnectionStateUpdate.newBuilder()
                        .setRoomId(roomId)
                        .setTargetUserId(targetUserId)
                        .setConnectionState(connection)
                        .setIceConnectionState(ice)
                        .setIceGatheringState(gathering)), null);
    }

    /**
     * Tells the room's other members that this client's microphone, camera or screen share turned on or off (they
     * get {@link SignalingListener#onPeerMediaChanged}). No reply.
     *
     * @param roomId the room
     * @param media  what changed: the fields set are reported, the others left as they were
     */
    public void reportMedia(String roomId, MediaState media) {
        send(ClientMessage.newBuilder().setMediaUpdate(MediaUpdate.newBuilder().setRoomId(roomId).setMedia(media)),
             null);
    }

    /**
     * @return the STUN/TURN servers of the latest {@code welcome}, {@code ice_restart_required} or
     *         {@code ice_servers_updated}
     */
    public List<IceServer> iceServers() {
        return iceServers;
    }

    /**
     * @return the server's id of the current session, empty before the first {@code welcome}
     */
    public String sessionId() {
        return sessionId;
    }

    /**
     * Ends the session ({@code bye}: peers see the client leave at once) and releases the client's thread, and the
     * channel if the client made it.
     */
    @Override
    public void close() {
        CompletableFuture<Link> done = new CompletableFuture<>();
        try {
            loop.execute(() -> done.complete(shutDown(ConnectionEvent.CLOSED, "closed by the application", true)));
            Link saidBye = done.get(5, TimeUnit.SECONDS);
            if (saidBye != null) {
                // the server ends the stream once it has taken the bye; cancelling before that could overtake it
                saidBye.ended.get(BYE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.log(WARNING, "Closing the client did not finish cleanly: " + e);
        } finally {
            loop.shutdownNow();
            if (ownsChannel) {
                channel.shutdownNow();
            }
        }
    }

    private CompletableFuture<Ack> signal(ClientMessage.Builder message) {
        return request(message).thenApply(ServerMessage::getAck);
    }

    private CompletableFuture<ServerMessage> request(ClientMessage.Builder message) {
        CompletableFuture<ServerMessage> reply = new CompletableFuture<>();
        send(message, reply);
        return reply;
    }

    /**
     * Numbers a message and sends it now if the session is up; otherwise it waits in the outbound log and goes out
     * when the session is (re)established.
     */
    private void send(ClientMessage.Builder message, CompletableFuture<ServerMessage> reply) {
        try {
            loop.execute(() -> {
                if (closed) {
                    failClosed(reply);
                    return;
                }
                long sequence = nextSequence++;
                ClientMessage numbered = message.setSequence(sequence)
                        .setRequestId(Long.toString(sequence))
                        .setLastReceivedSequence(lastReceived)
                        .build();
                outbound.add(numbered, reply);
                if (link != null && link.welcomed) {
                    link.send(numbered);
                }
            });
        } catch (RejectedExecutionException e) {
            failClosed(reply);
        }
    }

    private static void failClosed(CompletableFuture<ServerMessage> reply) {
        if (reply != null) {
            reply.completeExceptionally(new SignalingException(ErrorCode.ERROR_CODE_UNSPECIFIED, "client closed"));
        }
    }

    private void openLink() {
        Link next = new Link();
        link = next;
        SignalingServiceGrpc.newStub(channel).connect(next);
        next.send(ClientMessage.newBuilder().setHello(hello()).build());
    }

    private Hello.Builder hello() {
        Hello.Builder hello = Hello.newBuilder()
                .setUserId(userId)
                .setToken(token.get())
                .setClientName(CLIENT_NAME)
                .setClientVersion(CLIENT_VERSION)
                // one ack_range per server write instead of an ack per relayed signal
                .setAckMode(AckMode.ACK_MODE_RANGE);
        if (!resumeToken.isEmpty()) {
            hello.setResumeToken(resumeToken).setLastReceivedSequence(lastReceived);
        }
        return hello;
    }

    private void received(Link from, ServerMessage message) {
        from.lastReceivedAt = System.nanoTime();
        if (message.getSequence() > 0) {
            if (message.getSequence() <= lastReceived) {
                return;     // replayed again after a resume: already delivered
            }
            lastReceived = message.getSequence();
        }
        boolean answered = message.hasAckRange() ? outbound.relayed(message.getAckRange())
                : outbound.answered(message);
        // a switch expression, so that a payload added to the protocol is a compile error here (on Java 17 too)
        Runnable handling = switch (message.getPayloadCase()) {
            case WELCOME -> () -> welcomed(from, message.getWelcome());
            case ERROR -> () -> error(from, message.getError(), answered);
            case ROOM_JOINED -> () -> {
                rooms.add(message.getRoomJoined().getRoomId());
                notify(l -> l.onRoomJoined(message.getRoomJoined()));
            };
            case ROOM_LEFT -> () -> rooms.remove(message.getRoomLeft().getRoomId());
            case OFFER -> () -> notify(l -> l.onOffer(message.getOffer()));
            case ANSWER -> () -> notify(l -> l.onAnswer(message.getAnswer()));
            case ICE_CANDIDATE -> () -> notify(l -> l.onIceCandidate(message.getIceCandidate()));
            case PEER_JOINED -> () -> notify(l -> l.onPeerJoined(message.getPeerJoined()));
            case PEER_LEFT -> () -> notify(l -> l.onPeerLeft(message.getPeerLeft()));
            case ICE_RESTART_REQUIRED -> () -> {
                iceServers = message.getIceRestartRequired().getIceServersList();
                notify(l -> l.onIceRestartRequired(message.getIceRestartRequired()));
            };
            case ICE_RESTART_FAILED -> () -> notify(l -> l.onIceRestartFailed(message.getIceRestartFailed()));
            case PEER_MEDIA_CHANGED -> () -> notify(l -> l.onPeerMediaChanged(message.getPeerMediaChanged()));
            case GOING_AWAY -> () -> dropped(from, "the server is going away: " + message.getGoingAway().getReason(),
                                             Duration.ofMillis(message.getGoingAway().getReconnectAfterMs()));
            case ICE_SERVERS_UPDATED -> () -> {
                iceServers = message.getIceServersUpdated().getIceServersList();
                notify(l -> l.onIceServersUpdated(message.getIceServersUpdated()));
            };
            case ACK, ACK_RANGE, PONG, AUTHENTICATED, PAYLOAD_NOT_SET -> () -> {
                // their futures are complete
            };
        };
        handling.run();
    }

    private void welcomed(Link on, Welcome welcome) {
        on.welcomed = true;
        reconnectAttempt = 0;
        if (welcome.hasHeartbeat() && welcome.getHeartbeat().getIntervalMs() > 0) {
            heartbeat = welcome.getHeartbeat();
        }
        if (welcome.hasReconnect()) {
            backoff = new ReconnectBackoff(welcome.getReconnect(), () -> ThreadLocalRandom.current().nextDouble());
        }
        iceServers = welcome.getIceServersList();
        sessionId = welcome.getSessionId();
        resumeToken = welcome.getResumeToken();
        if (welcome.getResumed()) {
            outbound.unprocessedAfter(welcome.getLastProcessedSequence()).forEach(on::send);
            event(ConnectionEvent.RESUMED, "session " + sessionId + " resumed after sequence " + lastReceived);
            return;
        }
        if (!firstWelcome.isDone()) {
            outbound.unprocessedAfter(0).forEach(on::send);     // requests made before the session opened
            firstWelcome.complete(welcome);
            event(ConnectionEvent.CONNECTED, "session " + sessionId);
            return;
        }
        // a fresh session after a failed resume: what the old one awaited will not come; rejoin its rooms
        outbound.failAll(new SignalingException(ErrorCode.ERROR_CODE_RESUME_FAILED,
                                                "the session was lost before the server answered"));
        List<String> rejoin = new ArrayList<>(rooms);
        rooms.clear();
        event(ConnectionEvent.NEW_SESSION, "session " + sessionId + "; rejoining " + rejoin);
        for (String room : rejoin) {
            join(room).exceptionally(failure -> {
                LOG.log(WARNING, "Could not rejoin " + room + ": " + failure.getMessage());
                return null;
            });
        }
    }

    private void error(Link on, Error error, boolean answered) {
        if (error.getCode() == ErrorCode.ERROR_CODE_RESUME_FAILED && !on.welcomed) {
            LOG.log(INFO, "Resume failed (" + error.getMessage() + "); opening a fresh session");
            resumeToken = "";
            lastReceived = 0;
            on.send(ClientMessage.newBuilder().setHello(hello()).build());
            return;
        }
        if (!on.welcomed && (error.getCode() == ErrorCode.ERROR_CODE_DRAINING
                || error.getCode() == ErrorCode.ERROR_CODE_SERVER_FULL
                || error.getCode() == ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE)) {
            // this server takes no session now (or cannot fetch this one from the cluster): the next attempt may
            // reach another one, or this one later; the resume token is kept
            dropped(on, error.getCode() + ": " + error.getMessage());
            return;
        }
        if (!on.welcomed && !firstWelcome.isDone()) {
            // the server refused the first hello itself (e.g. UNAUTHENTICATED): retrying will not help
            shutDown(ConnectionEvent.CLOSED, error.getCode() + ": " + error.getMessage(), false);
            return;
        }
        if (error.getFatal()) {
            shutDown(ConnectionEvent.CLOSED, error.getCode() + ": " + error.getMessage(), false);
            return;
        }
        if (!answered) {
            notify(l -> l.onError(error));
        }
    }

    private void dropped(Link gone, String why) {
        dropped(gone, why, null);
    }

    /**
     * @param delay how long to wait before reconnecting; null for the backoff's next delay
     */
    private void dropped(Link gone, String why, Duration delay) {
        if (link != gone || closed) {
            return;
        }
        link = null;
        gone.cancel(why);
        event(ConnectionEvent.DISCONNECTED, why);
        if (delay == null) {
            delay = backoff.delayBefore(++reconnectAttempt);
        }
        LOG.log(INFO, "Reconnecting in " + delay.toMillis() + " ms (attempt " + reconnectAttempt + "): " + why);
        loop.schedule(() -> {
            if (!closed && link == null) {
                openLink();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Heartbeat and watchdog, every half interval: ping when the client has been quiet, and give up on a connection
     * from which nothing arrived within the timeout (the server answers every ping, so a live one never is).
     */
    private void tick() {
        if (closed) {
            return;
        }
        Link current = link;
        long now = System.nanoTime();
        if (current != null) {
            long silentMs = TimeUnit.NANOSECONDS.toMillis(now - current.lastReceivedAt);
            long quietMs = TimeUnit.NANOSECONDS.toMillis(now - current.lastSentAt);
            if (silentMs >= heartbeat.getTimeoutMs()) {
                dropped(current, "nothing from the server for " + silentMs + " ms");
            } else if (current.welcomed && quietMs >= heartbeat.getIntervalMs() / 2) {
                current.send(ClientMessage.newBuilder()
                                     .setLastReceivedSequence(lastReceived)
                                     .setPing(Ping.newBuilder().setClientTimeMs(System.currentTimeMillis()))
                                     .build());
            }
        }
        loop.schedule(this::tick, Math.max(20, heartbeat.getIntervalMs() / 2), TimeUnit.MILLISECONDS);
    }

    /**
     * @return the stream that said bye, which the server is about to end; null when none did
     */
    private Link shutDown(ConnectionEvent event, String why, boolean sayBye) {
        if (closed) {
            return null;
        }
        closed = true;
        Link current = link;
        link = null;
        Link saidBye = null;
        if (current != null) {
            if (sayBye && current.welcomed) {
                current.send(ClientMessage.newBuilder().setBye(Bye.getDefaultInstance()).build());
                current.complete();
                saidBye = current;
            } else {
                current.cancel(why);
            }
        }
        SignalingException cause = new SignalingException(ErrorCode.ERROR_CODE_UNSPECIFIED, "client closed: " + why);
        outbound.failAll(cause);
        firstWelcome.completeExceptionally(cause);
        event(event, why);
        return saidBye;
    }

    private void event(ConnectionEvent event, String detail) {
        LOG.log(INFO, "Switchboard " + userId + ": " + event + " (" + detail + ")");
        notify(l -> l.onConnectionChanged(event, detail));
    }

    private void notify(Consumer<SignalingListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.log(WARNING, "The signaling listener threw; the client goes on", e);
        }
    }

    /**
     * One gRPC stream. Its callbacks hop onto the client thread and are ignored once a newer stream replaced it.
     */
    private final class Link implements ClientResponseObserver<ClientMessage, ServerMessage> {
        private final CompletableFuture<Void> ended = new CompletableFuture<>();
        private ClientCallStreamObserver<ClientMessage> requests;
        private boolean welcomed;
        private long lastReceivedAt = System.nanoTime();
        private long lastSentAt = System.nanoTime();

        @Override
        public void beforeStart(ClientCallStreamObserver<ClientMessage> requestStream) {
            this.requests = requestStream;
        }

        @Override
        public void onNext(ServerMessage message) {
            onLoop(() -> received(this, message));
        }

        @Override
        public void onError(Throwable failure) {
            ended.complete(null);
            onLoop(() -> dropped(this, "stream failed: " + Status.fromThrowable(failure)));
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
            onLoop(() -> dropped(this, "the server ended the stream"));
        }

        void send(ClientMessage message) {
            lastSentAt = System.nanoTime();
            requests.onNext(message);
        }

        void complete() {
            requests.onCompleted();
        }

        void cancel(String why) {
            requests.cancel(why, null);
        }

        private void onLoop(Runnable action) {
            try {
                loop.execute(() -> {
                    if (link == this) {
                        action.run();
                    }
                });
            } catch (RejectedExecutionException closedMeanwhile) {
                // the client is closed: nothing to do
            }
        }
    }

    /**
     * Builds a client; {@link #target} (or {@link #channel}) and {@link #userId} are required.
     */
    public static final class Builder {
        private String host;
        private int port;
        private ManagedChannel channel;
        private String userId = "";
        private Supplier<String> token = () -> "";
        private SignalingListener listener = new SignalingListener() {
        };

        private Builder() {
        }

        /**
         * @param host server host
         * @param port server port
         * @return this builder; the client makes a plaintext channel and closes it with itself
         */
        public Builder target(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /**
         * @param channel a channel the application made (TLS, grpc-okhttp on Android...) and closes itself
         * @return this builder
         */
        public Builder channel(ManagedChannel channel) {
            this.channel = channel;
            return this;
        }

        /**
         * @param userId who the client is (with {@code auth.mode: jwt}, the token's subject; may then be empty)
         * @return this builder
         */
        public Builder userId(String userId) {
            this.userId = Objects.requireNonNull(userId);
            return this;
        }

        /**
         * @param token a JWT, asked for again on every connect and resume, so it may refresh it
         * @return this builder
         */
        public Builder token(Supplier<String> token) {
            this.token = Objects.requireNonNull(token);
            return this;
        }

        /**
         * @param listener what the server says
         * @return this builder
         */
        public Builder listener(SignalingListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * @return the client, not yet connected
         */
        public SwitchboardClient build() {
            if (channel == null && host == null) {
                throw new IllegalStateException("set target(host, port) or channel(channel)");
            }
            return new SwitchboardClient(this);
        }
    }
}
