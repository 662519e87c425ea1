package dev.switchboard.server.signaling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterListener;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.ice.IceServerRefresh;
import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.server.limits.Identifiers;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.observe.LogText;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.relay.SignalRelay;
import dev.switchboard.server.reliability.dedup.DedupSettings;
import dev.switchboard.server.reliability.heartbeat.HeartbeatMonitor;
import dev.switchboard.server.reliability.monitor.ConnectionMonitor;
import dev.switchboard.server.reliability.resume.ReconnectSettings;
import dev.switchboard.server.reliability.resume.ResumeSettings;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.session.PeerLink;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.server.session.SessionSettings;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.IceConnectionState;
import dev.switchboard.signaling.v1.IceGatheringState;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.Pong;
import dev.switchboard.signaling.v1.RoomLeft;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The signaling core: the one place that sessions, rooms, relay and the reliability layer are driven from,
 * whatever transport a message arrived on. Transports only {@link #open} a connection per peer and feed it
 * decoded messages.
 */
public final class SignalingCore {
    private static final System.Logger LOG = System.getLogger("switchboard.signaling");

    private final SessionSettings sessionSettings;
    private final LimitSettings limits;
    private final RoomRegistry rooms;
    private final SignalRelay relay;
    private final ConnectionMonitor monitor;
    private final HeartbeatMonitor heartbeat;
    private final ScheduledExecutorService timers;
    private final SessionLifecycle lifecycle;
    private final SignalingMetrics metrics;
    private final SessionRegistry sessions;
    private final Cluster cluster;
    private final BufferBudget bufferBudget;

    private SignalingCore(Builder builder) {
        this.sessionSettings = builder.sessionSettings;
        this.limits = builder.limits;
        this.rooms = builder.rooms;
        this.relay = new SignalRelay(rooms, builder.limits, builder.metrics, builder.cluster);
        this.cluster = builder.cluster;
        this.metrics = builder.metrics;
        this.sessions = builder.sessions;
        this.monitor = builder.monitor;
        this.heartbeat = builder.heartbeat;
        this.timers = builder.timers;
        this.lifecycle = new SessionLifecycle(builder);
        this.bufferBudget = builder.bufferBudget;
    }

    /**
     * @return a builder; every part must be set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a connection for a new transport link; the peer must now send {@code hello}.
     *
     * @param link the transport side
     * @return where the transport delivers what it reads
     */
    public Connection open(PeerLink link) {
        Connection connection = new Connection(this, link, sessionSettings, bufferBudget);
        heartbeat.watch(connection);
        connection.helloDeadline(timers.schedule(connection::helloDeadlinePassed, limits.helloTimeout().toNanos(),
                                                 TimeUnit.NANOSECONDS));
        return connection;
    }

    void dispatch(Connection connection, ClientMessage message) {
        try {
            Session session = connection.session();
            if (message.hasHello()) {
                if (session == null) {
                    lifecycle.hello(connection, message.getHello(), message.getRequestId());
                } else {
                    session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE, "hello already received",
                                      message.getRequestId());
                }
                return;
            }
            if (session == null) {
                connection.reply(ServerMessage.newBuilder().setRequestId(message.getRequestId()).setError(
                        Session.error(ErrorCode.ERROR_CODE_HELLO_REQUIRED,
                                      "send hello before " + payloadName(message), message.getRequestId(), false)));
                return;
            }
            session.inboundLock().lock();
            try {
                if (!session.isAttachedTo(connection.outbox())) {
                    return;     // resumed elsewhere: the client re-sends what this connection did not deliver
                }
                if (message.getLastReceivedSequence() > 0) {
                    session.acknowledge(message.getLastReceivedSequence());
                }
                if (!message.hasBye() && !session.withinRate()) {
                    refuseOverRate(session, message);
                    return;
                }
                switch (message.getPayloadCase()) {
                    case OFFER, ANSWER, ICE_CANDIDATE -> relay.relay(session, message, connection.lastHeardNanos());
                    default -> {
                        // Any other numbered message that was processed before (a re-send after a resume) is not
                        // applied again; its reply was sent then, and is in the replay.
                        if (message.getSequence() == 0 || session.dedup().firstTime(message.getSequence())) {
                            handle(session, message);
                        }
                    }
                }
                if (cluster.shared() && changesSessionState(message)) {
                    cluster.saved(session);     // what another node needs to resume it (rooms, sequences)
                }
            } finally {
                session.inboundLock().unlock();
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Failed to handle " + payloadName(message), e);
            connection.reply(ServerMessage.newBuilder().setError(
                    Session.error(ErrorCode.ERROR_CODE_INTERNAL, "internal error", message.getRequestId(), false)));
        }
    }

    /** Nothing in the message is applied (nor marked processed: the client may re-send it with its sequence). */
    private void refuseOverRate(Session session, ClientMessage message) {
        String detail = "more than " + limits.rate() + " messages per second (burst " + limits.burst() + ")";
        switch (message.getPayloadCase()) {
            case OFFER, ANSWER, ICE_CANDIDATE -> relay.refuse(session, message, ErrorCode.ERROR_CODE_RATE_LIMITED,
                                                              detail);
            default -> session.sendError(ErrorCode.ERROR_CODE_RATE_LIMITED, detail, message.getRequestId());
        }
    }

    /**
     * Disconnects a user's session on an operator's request.
     *
     * @param userId the user
     * @param reason told to the client (error {@code REMOVED}) and logged
     * @return whether the user had a session
     */
    public boolean disconnect(String userId, String reason) {
        Optional<Session> session = sessions.find(userId);
        session.ifPresent(found -> lifecycle.remove(found, reason));
        return session.isPresent();
    }

    /**
     * Removes every member from a room on an operator's request: each gets {@code room_left} with the reason.
     *
     * @param roomId the room
     * @param reason told to the members and logged
     * @return how many members were removed
     */
    public int closeRoom(String roomId, String reason) {
        int removed = 0;
        for (String userId : rooms.members(roomId).orElse(List.of())) {
            Optional<Session> member = rooms.member(roomId, userId);
            if (member.isPresent() && rooms.leave(roomId, member.get(), PeerLeftReason.PEER_LEFT_REASON_REMOVED)) {
                member.get().send(ServerMessage.newBuilder().setRoomLeft(
                        RoomLeft.newBuilder().setRoomId(roomId).setReason(reason)));
                removed++;
            }
        }
        LOG.log(INFO, "Room closed by an operator: " + roomId + " (" + removed + " members removed): " + LogText.quote(reason));
        return removed;
    }

    /**
     * Starts draining: no new or resumed sessions; every client is told to reconnect elsewhere.
     *
     * @param reconnectSpread the clients' reconnect hints are spread over this long
     */
    public void drain(Duration reconnectSpread) {
        lifecycle.drain(reconnectSpread);
    }

    /**
     * @return where the core's events are counted
     */
    SignalingMetrics metrics() {
        return metrics;
    }

    void connectionClosed(Connection connection, Session session) {
        heartbeat.forget(connection);
        if (session != null) {
            lifecycle.connectionClosed(connection, session);
        }
    }

    private void handle(Session session, ClientMessage message) {
        switch (message.getPayloadCase()) {
            case JOIN -> join(session, message);
            case LEAVE -> leave(session, message);
            case CONNECTION_STATE_UPDATE -> stateUpdate(session, message);
            case PING -> session.send(ServerMessage.newBuilder()
                                              .setRequestId(message.getRequestId())
                                              .setPong(Pong.newBuilder()
                                                               .setClientTimeMs(message.getPing().getClientTimeMs())
                                                               .setServerTimeMs(System.currentTimeMillis())));
            case BYE -> lifecycle.bye(session);
            case AUTHENTICATE -> lifecycle.authenticate(session, message.getAuthenticate().getToken(),
                                                        message.getRequestId());
            default -> session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE,
                                         "message has no payload this server understands",
                                         message.getRequestId());
        }
    }

    private void join(Session session, ClientMessage message) {
        String roomId = message.getJoin().getRoomId();
        Optional<String> badId = Identifiers.problem("join.room_id", roomId);
        if (badId.isPresent()) {
            session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE, badId.get(), message.getRequestId());
            return;
        }
        Identity identity = session.identity();
        if (identity.expired(Instant.now())) {
            session.sendError(ErrorCode.ERROR_CODE_UNAUTHENTICATED,
                              "the session's token has expired; send authenticate with a fresh one",
                              message.getRequestId());
            return;
        }
        if (!identity.mayJoin(roomId)) {
            session.sendError(ErrorCode.ERROR_CODE_PERMISSION_DENIED, "the token does not allow room " + roomId,
                              message.getRequestId());
            return;
        }
        rooms.join(roomId, session, message.getRequestId());
    }

    private void leave(Session session, ClientMessage message) {
        String roomId = message.getLeave().getRoomId();
        if (!rooms.leave(roomId, session, PeerLeftReason.PEER_LEFT_REASON_LEFT)) {
            session.sendError(ErrorCode.ERROR_CODE_NOT_IN_ROOM, "you are not in room " + roomId,
                              message.getRequestId());
            return;
        }
        session.send(ServerMessage.newBuilder()
                             .setRequestId(message.getRequestId())
                             .setRoomLeft(RoomLeft.newBuilder().setRoomId(roomId)));
    }

    private void stateUpdate(Session session, ClientMessage message) {
        ConnectionStateUpdate update = message.getConnectionStateUpdate();
        Optional<String> problem = Identifiers.problem("connection_state_update.room_id", update.getRoomId())
                .or(() -> Identifiers.problem("connection_state_update.target_user_id", update.getTargetUserId()))
                .or(() -> unknownStates(update));
        if (problem.isPresent()) {
            session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE, problem.get(), message.getRequestId());
            return;
        }
        if (rooms.member(update.getRoomId(), session.userId()).orElse(null) != session) {
            session.sendError(ErrorCode.ERROR_CODE_NOT_IN_ROOM, "you are not in room " + update.getRoomId(),
                              message.getRequestId());
            return;
        }
        if (update.getTargetUserId().equals(session.userId())
                || !rooms.isMember(update.getRoomId(), update.getTargetUserId())) {
            session.sendError(ErrorCode.ERROR_CODE_PEER_NOT_FOUND,
                              update.getTargetUserId() + " is not in room " + update.getRoomId(),
                              message.getRequestId());
            return;
        }
        monitor.report(update.getRoomId(), session.userId(), update);
    }

    /** States this server does not know (a newer client's, or garbage) are refused, not half-recorded. */
    private static Optional<String> unknownStates(ConnectionStateUpdate update) {
        if (update.getConnectionState() == PeerConnectionState.UNRECOGNIZED
                || update.getIceConnectionState() == IceConnectionState.UNRECOGNIZED
                || update.getIceGatheringState() == IceGatheringState.UNRECOGNIZED) {
            return Optional.of("connection_state_update carries a state value this server does not know");
        }
        return Optional.empty();
    }

    /** Signals are saved by the relay, before their ack; these are the other messages that change a session. */
    private static boolean changesSessionState(ClientMessage message) {
        return switch (message.getPayloadCase()) {
            case OFFER, ANSWER, ICE_CANDIDATE -> false;
            case JOIN, LEAVE, AUTHENTICATE -> true;
            default -> message.getSequence() > 0;
        };
    }

    /**
     * @return what the core does with other nodes' messages (cluster mode)
     */
    public ClusterListener clusterListener() {
        return new ClusterEvents(sessions, rooms, lifecycle);
    }

    private static String payloadName(ClientMessage message) {
        return message.getPayloadCase().name().toLowerCase();
    }

    /**
     * The parts of a core, wired explicitly by the application.
     */
    public static final class Builder {
        SessionSettings sessionSettings;
        LimitSettings limits;
        Authenticator authenticator;
        ResumeSettings resume;
        ReconnectSettings reconnect;
        DedupSettings dedup;
        SessionRegistry sessions;
        RoomRegistry rooms;
        IceServerProvider iceServers;
        IceServerRefresh iceServerRefresh;
        SignalingMetrics metrics;
        ConnectionMonitor monitor;
        HeartbeatMonitor heartbeat;
        ScheduledExecutorService timers;
        BufferBudget bufferBudget;
        Cluster cluster = Cluster.standalone();

        private Builder() {
        }

        /**
         * @param cluster the nodes this one shares rooms and sessions with; standalone unless set
         * @return this builder
         */
        public Builder cluster(Cluster cluster) {
            this.cluster = cluster;
            return this;
        }

        /**
         * @param budget the bytes all sessions and connections together may hold
         * @return this builder
         */
        public Builder bufferBudget(BufferBudget budget) {
            this.bufferBudget = budget;
            return this;
        }

        /**
         * @param settings per-connection bounds
         * @return this builder
         */
        public Builder sessionSettings(SessionSettings settings) {
            this.sessionSettings = settings;
            return this;
        }

        /**
         * @param settings bounds on what one client may send and hold
         * @return this builder
         */
        public Builder limits(LimitSettings settings) {
            this.limits = settings;
            return this;
        }

        /**
         * @param authenticator how clients prove who they are
         * @return this builder
         */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /**
         * @param settings resume window and buffer
         * @return this builder
         */
        public Builder resume(ResumeSettings settings) {
            this.resume = settings;
            return this;
        }

        /**
         * @param settings reconnect policy advertised in {@code welcome}
         * @return this builder
         */
        public Builder reconnect(ReconnectSettings settings) {
            this.reconnect = settings;
            return this;
        }

        /**
         * @param settings duplicate detection bounds
         * @return this builder
         */
        public Builder dedup(DedupSettings settings) {
            this.dedup = settings;
            return this;
        }

        /**
         * @param sessions the live sessions
         * @return this builder
         */
        public Builder sessions(SessionRegistry sessions) {
            this.sessions = sessions;
            return this;
        }

        /**
         * @param rooms the rooms
         * @return this builder
         */
        public Builder rooms(RoomRegistry rooms) {
            this.rooms = rooms;
            return this;
        }

        /**
         * @param iceServers ICE servers for {@code welcome}
         * @return this builder
         */
        public Builder iceServers(IceServerProvider iceServers) {
            this.iceServers = iceServers;
            return this;
        }

        /**
         * @param refresh sends sessions fresh TURN credentials before theirs expire
         * @return this builder
         */
        public Builder iceServerRefresh(IceServerRefresh refresh) {
            this.iceServerRefresh = refresh;
            return this;
        }

        /**
         * @param metrics where events are counted
         * @return this builder
         */
        public Builder metrics(SignalingMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /**
         * @param monitor where connection state reports go
         * @return this builder
         */
        public Builder monitor(ConnectionMonitor monitor) {
            this.monitor = monitor;
            return this;
        }

        /**
         * @param heartbeat watches every connection
         * @return this builder
         */
        public Builder heartbeat(HeartbeatMonitor heartbeat) {
            this.heartbeat = heartbeat;
            return this;
        }

        /**
         * @param timers where resume windows run out
         * @return this builder
         */
        public Builder timers(ScheduledExecutorService timers) {
            this.timers = timers;
            return this;
        }

        /**
         * @return the core
         * @throws NullPointerException when a part is missing
         */
        public SignalingCore build() {
            Objects.requireNonNull(sessionSettings, "sessionSettings");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(authenticator, "authenticator");
            Objects.requireNonNull(resume, "resume");
            Objects.requireNonNull(reconnect, "reconnect");
            Objects.requireNonNull(dedup, "dedup");
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(rooms, "rooms");
            Objects.requireNonNull(iceServers, "iceServers");
            Objects.requireNonNull(iceServerRefresh, "iceServerRefresh");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(monitor, "monitor");
            Objects.requireNonNull(heartbeat, "heartbeat");
            Objects.requireNonNull(timers, "timers");
            Objects.requireNonNull(bufferBudget, "bufferBudget");
            return new SignalingCore(this);
        }
    }
}
