package dev.switchboard.server;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;

import dev.switchboard.server.auth.AllowedOrigins;
import dev.switchboard.server.auth.AuthSettings;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.http.ConnectionsEndpoint;
import dev.switchboard.server.http.IceServersEndpoint;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.ice.IceServerRefresh;
import dev.switchboard.server.ice.IceSettings;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.reliability.dedup.DedupSettings;
import dev.switchboard.server.reliability.heartbeat.HeartbeatMonitor;
import dev.switchboard.server.reliability.heartbeat.HeartbeatSettings;
import dev.switchboard.server.reliability.monitor.ConnectionMonitor;
import dev.switchboard.server.reliability.recovery.IceRestartCoordinator;
import dev.switchboard.server.reliability.recovery.RecoverySettings;
import dev.switchboard.server.reliability.resume.ReconnectSettings;
import dev.switchboard.server.reliability.resume.ResumeSettings;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.server.session.SessionSettings;
import dev.switchboard.server.signaling.SignalingCore;
import dev.switchboard.server.transport.grpc.GrpcTransport;
import dev.switchboard.server.transport.websocket.WebSocketTransport;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.StaticContentService;

/**
 * A running Switchboard: the core and its transports wired together explicitly, on one Helidon web server and
 * one port.
 */
public final class Switchboard implements AutoCloseable {
    /** Classpath folder of the browser SDK and the demo page (copied from clients/web by the build). */
    private static final String WEB_CONTENT = "switchboard/web";
    private final WebServer server;
    private final ScheduledExecutorService timers;

    private Switchboard(WebServer server, ScheduledExecutorService timers) {
        this.server = server;
        this.timers = timers;
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
        ResumeSettings resume = ResumeSettings.from(config);
        ReconnectSettings reconnect = ReconnectSettings.from(config);
        DedupSettings dedup = DedupSettings.from(config);
        HeartbeatSettings heartbeatSettings = HeartbeatSettings.from(config);
        RecoverySettings recoverySettings = RecoverySettings.from(config);

        // One timer thread for every resume window, grace period, backoff and heartbeat: each task only decides
        // and queues messages, never waits on a socket. Connections that close while the server stops still
        // ask for timers; once it has stopped there is nothing left to time, so those are dropped.
        ScheduledExecutorService timers = new ScheduledThreadPoolExecutor(
                1, Thread.ofPlatform().name("switchboard-timers").daemon().factory(),
                new ThreadPoolExecutor.DiscardPolicy());
        RoomRegistry rooms = new RoomRegistry(limits.peersPerRoom(), limits.roomsPerSession());
        IceRestartCoordinator recovery = new IceRestartCoordinator(recoverySettings, rooms, iceServers, timers);
        ConnectionMonitor monitor = new ConnectionMonitor(recoverySettings.historySize(), recovery, rooms);
        rooms.onMemberLeft(monitor::memberLeft);

        SignalingCore core = SignalingCore.builder()
                .sessionSettings(sessionSettings)
                .limits(limits)
                .authenticator(authenticator)
                .resume(resume)
                .reconnect(reconnect)
                .dedup(dedup)
                .sessions(new SessionRegistry())
                .rooms(rooms)
                .iceServers(iceServers)
                .iceServerRefresh(new IceServerRefresh(iceServers, timers, Clock.systemUTC()))
                .monitor(monitor)
                .heartbeat(new HeartbeatMonitor(heartbeatSettings, timers))
                .timers(timers)
                .build();

        WebServer server = WebServer.builder()
                .config(config.get("server"))
                .addConnectionSelector(GrpcTransport.connectionSelector(config.get("server"), limits.maxMessageBytes()))
                .addRouting(HttpRouting.builder()
                                    .register("/webrtc", origins.cors(),
                                              new IceServersEndpoint(iceServers, authenticator),
                                              new ConnectionsEndpoint(rooms, monitor))
                                    // the browser SDK (/client/switchboard.js) and the demo page (/)
                                    .register("/", StaticContentService.builder(WEB_CONTENT)
                                            .welcomeFileName("index.html")
                                            .build()))
                .addRouting(GrpcTransport.routing(core, iceServers, authenticator))
                .addRouting(WebSocketTransport.routing(core, limits.maxMessageBytes(), origins))
                .build()
                .start();
        return new Switchboard(server, timers);
    }

    /**
     * @return the port the server listens on
     */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        timers.shutdownNow();
    }
}
