package dev.switchboard.server;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import dev.switchboard.server.admin.AdminAccess;
import dev.switchboard.server.admin.AdminEndpoint;
import dev.switchboard.server.auth.AllowedOrigins;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterHealth;
import dev.switchboard.server.http.ConnectionsEndpoint;
import dev.switchboard.server.http.IceServersEndpoint;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.observe.Liveness;
import dev.switchboard.server.observe.Readiness;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.signaling.Core;
import dev.switchboard.server.signaling.CoreSettings;
import dev.switchboard.server.transport.gate.ConnectionGate;
import dev.switchboard.server.transport.grpc.GrpcTransport;
import dev.switchboard.server.transport.socketio.SocketIoSettings;
import dev.switchboard.server.transport.socketio.SocketIoTransport;
import dev.switchboard.server.transport.websocket.WebSocketTransport;
import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.StaticContentService;

/**
 * Switchboard on a web server's builder: every connection through the connection gate (HTTP/1.1 with the WebSocket
 * and h2c upgrades, HTTP/2 with gRPC), the transports, the HTTP endpoints, health and metrics. What
 * {@link Switchboard#setup} does, kept apart from how the application is built and run.
 */
final class ServerSetup {
    /** Classpath folder of the browser SDK and the demo page (copied from clients/web by the build). */
    private static final String WEB_CONTENT = "switchboard/web";

    private final Config config;
    private final CoreSettings settings;
    private final ScheduledExecutorService timers;
    private final SignalingMetrics metrics;
    private final Cluster cluster;
    private final IceServerProvider iceServers;
    private final Authenticator authenticator;
    private final Core core;
    private final Readiness readiness;

    ServerSetup(Config config, CoreSettings settings, ScheduledExecutorService timers, SignalingMetrics metrics,
                Cluster cluster, IceServerProvider iceServers, Authenticator authenticator, Core core,
                Readiness readiness) {
        this.config = config;
        this.settings = settings;
        this.timers = timers;
        this.metrics = metrics;
        this.cluster = cluster;
        this.iceServers = iceServers;
        this.authenticator = authenticator;
        this.core = core;
        this.readiness = readiness;
    }

    /**
     * @param server the web server's builder
     */
    void apply(WebServerConfig.Builder server) {
        LimitSettings limits = settings.limits();
        AllowedOrigins origins = AllowedOrigins.from(config);
        AdminAccess adminAccess = AdminAccess.from(config);
        GrpcTransport.Http2 http2 = GrpcTransport.http2(config.get("server"), limits.maxMessageBytes());
        SocketIoSettings socketIo = SocketIoSettings.from(config, settings.heartbeat(), limits);
        Optional<SocketIoTransport> socketIoTransport = socketIo.enabled()
                ? Optional.of(SocketIoTransport.create(core.port(), socketIo, settings.dedup().sequenceWindow(),
                                                       origins, timers))
                : Optional.empty();
        ConnectionGate gate = ConnectionGate.builder()
                .timers(timers)
                .requestTimeout(limits.requestTimeout())
                .pendingPerAddress(limits.pendingPerAddress())
                .http1(Http1Config.create(config.get("server.protocols.http_1_1")))
                .addUpgrader(WebSocketTransport.upgrader(core.port(), limits.maxMessageBytes(), origins,
                        socketIoTransport.map(SocketIoTransport::webSocketEndpoints).orElse(Map.of())))
                .addUpgrader(http2.h2cUpgrader())
                .http2(http2.selector())
                .build();
        metrics.gauge("switchboard.connections.pending", "Connections without a complete request, a session or an "
                + "HTTP/2 stream yet (limits.pending-connections-per-address bounds them per address)", gate::pending);
        socketIoTransport.ifPresent(transport -> metrics.gauge(
                "switchboard.socketio.connections", "Open Engine.IO connections (polling or WebSocket)",
                transport::connections));
        var health = HealthObserver.builder().details(true).addCheck(new Liveness()).addCheck(readiness);
        if (cluster.shared()) {
            health.addCheck(new ClusterHealth(cluster));
        }
        server.config(HttpEndpoints.withoutProtocols(config.get("server")))
                // every connection goes through the gate, which serves HTTP/1.1 and HTTP/2 itself
                .protocolsDiscoverServices(false)
                .addConnectionSelector(gate)
                // Main's shutdown hook drains, then stops the server: Helidon's own hook would stop it at once
                .shutdownHook(false)
                .addFeature(ObserveFeature.builder()
                                    .addObserver(health.build())
                                    .addObserver(MetricsObserver.create())
                                    .build())
                .addRouting(routing(origins, adminAccess, socketIoTransport))
                .addRouting(GrpcTransport.routing(core.port(), iceServers, authenticator));
    }

    private HttpRouting.Builder routing(AllowedOrigins origins, AdminAccess adminAccess,
                                        Optional<SocketIoTransport> socketIo) {
        HttpRouting.Builder routing = HttpRouting.builder().addFilter(HttpEndpoints::requestReceived);
        socketIo.ifPresent(transport -> transport.routing(routing));
        return routing
                .register("/webrtc", origins.cors(), new IceServersEndpoint(iceServers, authenticator),
                          new ConnectionsEndpoint(core.rooms(), core.monitor(), adminAccess))
                .register("/admin", new AdminEndpoint(adminAccess, core.operator(), core.rooms(), core.monitor()))
                // the browser SDK (/client/switchboard.js), importable by the allowed origins' pages, and the demo
                // page (/)
                .register("/client", origins.cors())
                .register("/", StaticContentService.builder(WEB_CONTENT).welcomeFileName("index.html").build())
                .any(HttpEndpoints::notFound);
    }
}
