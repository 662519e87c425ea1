package dev.switchboard.server;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;

import dev.switchboard.server.admin.AdminAccess;
import dev.switchboard.server.admin.AdminEndpoint;
import dev.switchboard.server.auth.AllowedOrigins;
import dev.switchboard.server.auth.AuthSettings;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterHealth;
import dev.switchboard.server.cluster.ClusterSettings;
import dev.switchboard.server.cluster.redis.RedisCluster;
import dev.switchboard.server.http.ConnectionsEndpoint;
import dev.switchboard.server.http.IceServersEndpoint;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.ice.IceServerRefresh;
import dev.switchboard.server.ice.IceSettings;
import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.observe.Liveness;
import dev.switchboard.server.observe.Readiness;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.reliability.dedup.DedupSettings;
import dev.switchboard.server.reliability.heartbeat.HeartbeatMonitor;
import dev.switchboard.server.reliability.heartbeat.HeartbeatSettings;
import dev.switchboard.server.reliability.monitor.ConnectionMonitor;
import dev.switchboard.server.reliability.recovery.IceRestartCoordinator;
import dev.switchboard.server.reliability.recovery.RecoverySettings;
import dev.switchboard.server.reliability.resume.ReconnectSettings;
import dev.switchboard.server.reliability.resume.ResumeSettings;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.server.session.SessionSettings;
import dev.switchboard.server.signaling.DrainSettings;
import dev.switchboard.server.signaling.SignalingCore;
import dev.switchboard.server.transport.gate.Admission;
import dev.switchboard.server.transport.gate.ConnectionGate;
import dev.switchboard.server.transport.grpc.GrpcTransport;
import dev.switchboard.server.transport.websocket.WebSocketTransport;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.Status;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentService;

import static java.lang.System.Logger.Level.INFO;

/**
 * A running Switchboard: the core and its transports wired together explicitly, on one Helidon web server and
 * one port.
 */
public final class Switchboard implements AutoCloseable {
    /** Classpath folder of the browser SDK and the demo page (copied from clients/web by the build). */
    private static final String WEB_CONTENT = "switchboard/web";
    private static final System.Logger LOG = System.getLogger("switchboard");

    private final WebServer server;
    private final ScheduledExecutorService timers;
    private final SignalingCore core;
    private final SessionRegistry sessions;
    private final SignalingMetrics metrics;
    private final Readiness readiness;
    private final DrainSettings drain;
    private final Cluster cluster;

    private Switchboard(Parts parts) {
        this.server = parts.server;
        this.timers = parts.timers;
        this.core = parts.core;
        this.sessions = parts.sessions;
        this.metrics = parts.metrics;
        this.readiness = parts.readiness;
        this.drain = parts.drain;
        this.cluster = parts.cluster;
    }

    /**
     * Binds the settings, wires the components and starts listening.
     *
     * @param config the configuration (see {@code config/application.yaml})
     * @return the running server
     * @throws IllegalArgumentException when a setting is invalid; the message names it
     */
    public static Switchboard start(Config config) {
        IceServerProvider iceServers = new IceServerProvider(IceSettings.from(config), Clock.systemUTC());
        SessionSettings sessionSettings = SessionSettings.from(config);
        LimitSettings limits = LimitSettings.from(config);
        Authenticator authenticator = Authenticator.create(AuthSettings.from(config));
        AllowedOrigins origins = AllowedOrigins.from(config);
        AdminAccess adminAccess = AdminAccess.from(config);
        ResumeSettings resume = ResumeSettings.from(config);
        ReconnectSettings reconnect = ReconnectSettings.from(config);
        DedupSettings dedup = DedupSettings.from(config);
        HeartbeatSettings heartbeatSettings = HeartbeatSettings.from(config);
        RecoverySettings recoverySettings = RecoverySettings.from(config);

        // One timer thread for every resume window, grace period, backoff and heartbeat: each task only decides
        // and queues messages, never waits on a socket. Connections that close while the server stops still
        // ask for timers; once it has stopped there is nothing left to time, so those are dropped.
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("switchboard-timers").daemon().factory(),
                new ThreadPoolExecutor.DiscardPolicy());
        // a cancelled deadline lets go of what it would have acted on (a connection, a session) at once
        timers.setRemoveOnCancelPolicy(true);
        SessionRegistry sessions = new SessionRegistry();
        // Helidon's global registry: the one its Prometheus formatter serves. A server removes its meters when it
        // closes, so servers started one after the other in a JVM (tests, embedding) each count from zero.
        SignalingMetrics metrics = new SignalingMetrics(Metrics.globalRegistry());
        Cluster cluster = cluster(ClusterSettings.from(config), resume, sessions, metrics);
        RoomRegistry rooms = new RoomRegistry(limits.peersPerRoom(), limits.roomsPerSession(), cluster);
        BufferBudget bufferBudget = BufferBudget.of(limits.bufferBudget());
        registerGauges(metrics, sessions, rooms, bufferBudget);
        if (cluster.shared()) {
            metrics.gauge("switchboard.cluster.available", "1 while the cluster backend is reachable, else 0",
                          () -> cluster.available() ? 1 : 0);
        }
        Readiness readiness = new Readiness();
        IceRestartCoordinator recovery = new IceRestartCoordinator(recoverySettings, rooms, iceServers, timers,
                                                                   metrics);
        ConnectionMonitor monitor = new ConnectionMonitor(recoverySettings.historySize(), recovery, rooms);
        rooms.onMemberLeft(monitor::memberLeft);

        SignalingCore core = SignalingCore.builder()
                .sessionSettings(sessionSettings)
                .limits(limits)
                .authenticator(authenticator)
                .resume(resume)
                .reconnect(reconnect)
                .dedup(dedup)
                .sessions(sessions)
                .rooms(rooms)
                .iceServers(iceServers)
                .metrics(metrics)
                .iceServerRefresh(new IceServerRefresh(iceServers, timers, Clock.systemUTC()))
                .monitor(monitor)
                .heartbeat(new HeartbeatMonitor(heartbeatSettings, timers))
                .timers(timers)
                .bufferBudget(bufferBudget)
                .cluster(cluster)
                .build();
        cluster.start(core.clusterListener());
        var health = HealthObserver.builder()
                .details(true)
                .addCheck(new Liveness())
                .addCheck(readiness);
        if (cluster.shared()) {
            health.addCheck(new ClusterHealth(cluster));
        }

        GrpcTransport.Http2 http2 = GrpcTransport.http2(config.get("server"), limits.maxMessageBytes());
        ConnectionGate gate = ConnectionGate.builder()
                .timers(timers)
                .requestTimeout(limits.requestTimeout())
                .pendingPerAddress(limits.pendingPerAddress())
                .http1(Http1Config.create(config.get("server.protocols.http_1_1")))
                .addUpgrader(WebSocketTransport.upgrader(core, limits.maxMessageBytes(), origins))
                .addUpgrader(http2.h2cUpgrader())
                .http2(http2.selector())
                .build();
        metrics.gauge("switchboard.connections.pending", "Connections without a complete request, a session or an "
                + "HTTP/2 stream yet (limits.pending-connections-per-address bounds them per address)", gate::pending);
        WebServer server = WebServer.builder()
                .config(withoutProtocols(config.get("server")))
                // every connection goes through the gate, which serves HTTP/1.1 and HTTP/2 itself
                .protocolsDiscoverServices(false)
                .addConnectionSelector(gate)
                // Main's shutdown hook drains, then stops the server: Helidon's own hook would stop it at once
                .shutdownHook(false)
                .addFeature(ObserveFeature.builder()
                                    .addObserver(health.build())
                                    .addObserver(MetricsObserver.create())
                                    .build())
                .addRouting(HttpRouting.builder()
                                    .addFilter(Switchboard::requestReceived)
                                    .register("/webrtc", origins.cors(),
                                              new IceServersEndpoint(iceServers, authenticator),
                                              new ConnectionsEndpoint(rooms, monitor, adminAccess))
                                    .register("/admin", new AdminEndpoint(adminAccess, core, rooms, monitor))
                                    // the browser SDK (/client/switchboard.js) and the demo page (/)
                                    .register("/", StaticContentService.builder(WEB_CONTENT)
                                            .welcomeFileName("index.html")
                                            .build())
                                    // Helidon's own 404 has an empty body, and a JDK HttpClient that upgraded
                                    // the request to HTTP/2 (h2c) then waits for it forever: answer with a body
                                    // (except under /observe, whose routes the observe feature adds after these)
                                    .any(Switchboard::notFound))
                .addRouting(GrpcTransport.routing(core, iceServers, authenticator))
                .build()
                .start();
        return new Switchboard(new Parts(server, timers, core, sessions, metrics, readiness,
                                           DrainSettings.from(config), cluster));
    }

    private static Cluster cluster(ClusterSettings settings, ResumeSettings resume, SessionRegistry sessions,
                                   SignalingMetrics metrics) {
        if (settings.mode() == ClusterSettings.Mode.STANDALONE) {
            return Cluster.standalone();
        }
        RedisCluster cluster = new RedisCluster(settings, resume.window(), metrics);
        cluster.localSessions(sessions::sessions);
        return cluster;
    }

    /**
     * The server's settings as Helidon reads them, without {@code protocols}: the gate builds the HTTP/1.1 and
     * HTTP/2 selectors from those itself, and Helidon would add selectors of its own for them.
     */
    private static Config withoutProtocols(Config server) {
        Map<String, String> settings = new HashMap<>(server.detach().asMap().orElse(Map.of()));
        settings.keySet().removeIf(key -> key.equals("protocols") || key.startsWith("protocols."));
        return Config.builder(ConfigSources.create(settings))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
    }

    /** A request head was read (HTTP/2 requests have no HTTP/1.1 listener to say so): the connection is a client's. */
    private static void requestReceived(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        Admission.current().ifPresent(admission -> {
            admission.requestReceived();
            admission.settle();
        });
        chain.proceed();
    }

    private static void notFound(ServerRequest request, ServerResponse response) {
        String path = request.path().path();
        if (path.startsWith("/observe/") || path.equals("/observe")) {
            response.next();
            return;
        }
        response.status(Status.NOT_FOUND_404).send("not found: " + path);
    }

    private static void registerGauges(SignalingMetrics metrics, SessionRegistry sessions, RoomRegistry rooms,
                                       BufferBudget bufferBudget) {
        for (String transport : List.of("grpc", "websocket")) {
            metrics.gauge("switchboard.sessions", "Live sessions, by the transport they are attached to",
                          () -> sessions.sessions().stream()
                                  .filter(session -> session.transport().filter(transport::equals).isPresent())
                                  .count(),
                          "transport", transport);
        }
        metrics.gauge("switchboard.sessions", "Live sessions, by the transport they are attached to",
                      () -> sessions.sessions().stream().filter(session -> session.transport().isEmpty()).count(),
                      "transport", "detached");
        metrics.gauge("switchboard.rooms", "Rooms with at least one member", rooms::size);
        metrics.gauge("switchboard.peers", "Room memberships, over all rooms", rooms::peers);
        metrics.gauge("switchboard.buffered.messages", "Messages held for replay, over all sessions",
                      () -> sessions.sessions().stream().mapToInt(Session::bufferedMessages).sum());
        metrics.gauge("switchboard.buffered.bytes", "Bytes of messages held for clients (replay buffers and write "
                + "queues), counted against limits.buffer-budget", bufferBudget::used);
        metrics.gauge("switchboard.buffer.budget.bytes", "limits.buffer-budget: the most bytes held for clients",
                      bufferBudget::limit);
    }

    /**
     * @return the port the server listens on
     */
    public int port() {
        return server.port();
    }

    /**
     * Drains the server, as on SIGTERM: readiness turns false (the load balancer stops sending clients), new and
     * resumed sessions are refused ({@code DRAINING}), every client is sent {@code going_away} with a reconnect
     * hint, and this waits until no client is connected any more, or {@code drain.timeout}.
     *
     * @return whether every client left in time
     */
    public boolean drain() {
        readiness.notReady("draining");
        core.drain(drain.reconnectSpread());
        long deadline = System.nanoTime() + drain.timeout().toNanos();
        long connected;
        while ((connected = connectedSessions()) > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);   // clients leave on their own schedule; nothing to wait on but the count
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.log(INFO, connected == 0 ? "Drained: every client left"
                : "Drain timeout: " + connected + " clients still connected are cut off");
        return connected == 0;
    }

    /**
     * @return whether the server takes new sessions (false while draining)
     */
    public boolean ready() {
        return readiness.ready();
    }

    private long connectedSessions() {
        return sessions.sessions().stream().filter(session -> session.transport().isPresent()).count();
    }

    @Override
    public void close() {
        server.stop();
        timers.shutdownNow();
        cluster.close();
        metrics.close();
    }

    /** The parts a running server keeps. */
    private record Parts(WebServer server, ScheduledExecutorService timers, SignalingCore core,
                           SessionRegistry sessions, SignalingMetrics metrics, Readiness readiness,
                           DrainSettings drain, Cluster cluster) {
    }
}
