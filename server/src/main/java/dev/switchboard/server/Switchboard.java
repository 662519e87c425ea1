package dev.switchboard.server;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Function;

import dev.switchboard.server.auth.AuthSettings;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterSettings;
import dev.switchboard.server.cluster.backend.ClusterBackend;
import dev.switchboard.server.cluster.node.ClusterNode;
import dev.switchboard.server.cluster.redis.RedisBackend;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.ice.IceSettings;
import dev.switchboard.server.observe.JvmMetrics;
import dev.switchboard.server.observe.Readiness;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.reliability.resume.ResumeSettings;
import dev.switchboard.server.signaling.Core;
import dev.switchboard.server.signaling.CoreSettings;
import dev.switchboard.server.transport.grpc.GrpcTransport;
import dev.switchboard.server.transport.socketio.SocketIoTransport;
import dev.switchboard.server.transport.websocket.WebSocketTransport;
import io.helidon.config.Config;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;

import static java.lang.System.Logger.Level.INFO;

/**
 * Switchboard: the core and its transports wired together explicitly, on one Helidon web server and one port.
 * {@link #create} builds the core from the configuration; {@link #setup} puts the transports and endpoints on a
 * web server's builder (the Helidon SE shape, shared by {@code Main} and tests); {@link #start} does both and
 * starts listening.
 */
public final class Switchboard implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("switchboard");

    private final Config config;
    private final CoreSettings settings;
    private final ScheduledThreadPoolExecutor timers;
    private final SignalingMetrics metrics;
    /** The JVM's and the process's figures, on the same endpoint. */
    private final JvmMetrics jvmMetrics = new JvmMetrics(Metrics.globalRegistry());
    private final Cluster cluster;
    private final IceServerProvider iceServers;
    private final Authenticator authenticator;
    private final Core core;
    private final Readiness readiness = new Readiness();
    private volatile WebServer server;

    private Switchboard(Config config, CoreSettings settings, ScheduledThreadPoolExecutor timers,
                        SignalingMetrics metrics, Cluster cluster, IceServerProvider iceServers,
                        Authenticator authenticator, Core core) {
        this.config = config;
        this.settings = settings;
        this.timers = timers;
        this.metrics = metrics;
        this.cluster = cluster;
        this.iceServers = iceServers;
        this.authenticator = authenticator;
        this.core = core;
    }

    /**
     * Binds the settings and builds the core; in cluster mode, joins the cluster. Nothing listens yet.
     *
     * @param config the configuration (see {@code config/application.yaml})
     * @return the application, to {@link #setup} on a web server
     * @throws IllegalArgumentException when a setting is invalid; the message names it
     */
    public static Switchboard create(Config config) {
        ClusterSettings cluster = ClusterSettings.from(config);
        if (cluster.mode() == ClusterSettings.Mode.STANDALONE) {
            return create(config, metrics -> Cluster.standalone());
        }
        URI redis = cluster.redisUri();
        return create(config, metrics -> node(config, RedisBackend.connect(redis, cluster.nodeTimeout()), metrics,
                                              "Redis at " + redis.getHost() + ":" + redis.getPort()));
    }

    /**
     * Like {@link #create(Config)}, as a node of a cluster whose backend the caller provides (e.g. several nodes in
     * one JVM sharing a {@link dev.switchboard.server.cluster.memory.MemoryCluster}); {@code cluster.mode} is
     * ignored, the other cluster settings apply.
     *
     * @param config  the configuration
     * @param backend the cluster's backend; closed with the server
     * @return the application
     */
    public static Switchboard create(Config config, ClusterBackend backend) {
        return create(config, metrics -> node(config, backend, metrics, backend.getClass().getSimpleName()));
    }

    private static ClusterNode node(Config config, ClusterBackend backend, SignalingMetrics metrics,
                                    String description) {
        ClusterSettings cluster = ClusterSettings.from(config);
        return new ClusterNode(backend, new ClusterNode.Timings(cluster.heartbeatInterval(), cluster.nodeTimeout(),
                                                               ResumeSettings.from(config).window(),
                                                               cluster.mirrorInterval()),
                               metrics, description);
    }

    private static Switchboard create(Config config, Function<SignalingMetrics, Cluster> clusters) {
        CoreSettings settings = CoreSettings.from(config);
        IceServerProvider iceServers = new IceServerProvider(IceSettings.from(config), Clock.systemUTC());
        Authenticator authenticator = Authenticator.create(AuthSettings.from(config));
        // One timer thread for every resume window, grace period, backoff and heartbeat: each task only decides
        // and queues messages, never waits on a socket or on Redis. Connections that close while the server stops
        // still ask for timers; once it has stopped there is nothing left to time, so those are dropped.
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("switchboard-timers").daemon().factory(),
                new ThreadPoolExecutor.DiscardPolicy());
        // a cancelled deadline lets go of what it would have acted on (a connection, a session) at once
        timers.setRemoveOnCancelPolicy(true);
        // Helidon's global registry: the one its Prometheus formatter serves. A server removes its meters when it
        // closes, so servers started one after the other in a JVM (tests, embedding) each count from zero.
        SignalingMetrics metrics = new SignalingMetrics(Metrics.globalRegistry());
        Cluster cluster = clusters.apply(metrics);
        Core core = Core.create(settings, authenticator, iceServers, cluster, metrics, timers);
        cluster.start(core.listener());
        Gauges.register(metrics, core, cluster,
                        List.of(WebSocketTransport.NAME, GrpcTransport.NAME, SocketIoTransport.NAME));
        return new Switchboard(config, settings, timers, metrics, cluster, iceServers, authenticator, core);
    }

    /**
     * Puts Switchboard on a web server: every connection through the connection gate (HTTP/1.1 with the
     * WebSocket and h2c upgrades, HTTP/2 with gRPC), the HTTP endpoints, health and metrics.
     *
     * @param server the web server's builder
     */
    public void setup(WebServerConfig.Builder server) {
        new ServerSetup(config, settings, timers, metrics, cluster, iceServers, authenticator, core, readiness)
                .apply(server);
    }

    /**
     * Binds the settings, wires the components and starts listening.
     *
     * @param config the configuration (see {@code config/application.yaml})
     * @return the running server
     * @throws IllegalArgumentException when a setting is invalid; the message names it
     */
    public static Switchboard start(Config config) {
        return serve(create(config));
    }

    /**
     * Like {@link #start(Config)}, as a node of a cluster whose backend the caller provides.
     *
     * @param config  the configuration
     * @param backend the cluster's backend; closed with the server
     * @return the running server
     */
    public static Switchboard start(Config config, ClusterBackend backend) {
        return serve(create(config, backend));
    }

    private static Switchboard serve(Switchboard switchboard) {
        try {
            // Helidon answers a malformed port with a stack trace, and a port it cannot bind by not listening at
            // all (port -1): both are a wrong setting, said in one line (Main exits 2)
            Config port = switchboard.config.get("server.port");
            long wanted = ConfigValues.number(port, 0, 65_535);
            WebServerConfig.Builder builder = WebServer.builder();
            switchboard.setup(builder);
            switchboard.server = builder.build().start();
            if (switchboard.server.port() < 0) {
                throw new IllegalStateException(ConfigValues.named(port) + ": cannot listen on "
                        + switchboard.config.get("server.host").asString().orElse("127.0.0.1") + ":" + wanted
                        + " (in use by another process, or not permitted)");
            }
            return switchboard;
        } catch (RuntimeException e) {
            switchboard.close();
            throw e;
        }
    }

    /**
     * @return the core, for what embedding code and tests do to it directly
     */
    public Core core() {
        return core;
    }

    /**
     * @return the cluster this node is part of ({@link Cluster#standalone()} alone)
     */
    public Cluster cluster() {
        return cluster;
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
        core.operator().drain(settings.drain().reconnectSpread());
        long deadline = System.nanoTime() + settings.drain().timeout().toNanos();
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
        return core.sessions().sessions().stream().filter(session -> session.transport().isPresent()).count();
    }

    /**
     * Stops at once, as a killed process does: the cluster first (nothing more is written to the backend, no
     * heartbeat, no session ends there: other nodes find it dead and take its sessions over), then the server,
     * which cuts every connection. For tests and for embedding code that simulates failures.
     */
    public void halt() {
        cluster.close();
        close();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        timers.shutdownNow();
        cluster.close();
        metrics.close();
        jvmMetrics.close();
    }
}
