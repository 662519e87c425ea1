package dev.switchboard.server;

import dev.switchboard.server.http.IceServersEndpoint;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.ice.IceSettings;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.server.session.SessionSettings;
import dev.switchboard.server.signaling.SignalingCore;
import dev.switchboard.server.transport.grpc.GrpcTransport;
import dev.switchboard.server.transport.websocket.WebSocketTransport;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/**
 * A running Switchboard: the core and its transports wired together explicitly, on one Helidon web server and
 * one port.
 */
public final class Switchboard implements AutoCloseable {
    private final WebServer server;

    private Switchboard(WebServer server) {
        this.server = server;
    }

    /**
     * Binds the settings, wires the components and starts listening.
     *
     * @param config the configuration (see {@code config/application.yaml})
     * @return the running server
     * @throws IllegalArgumentException when a setting is invalid; the message names it
     */
    public static Switchboard start(Config config) {
        IceServerProvider iceServers = new IceServerProvider(IceSettings.from(config));
        SessionSettings sessionSettings = SessionSettings.from(config);

        SignalingCore core = new SignalingCore(sessionSettings, new SessionRegistry(), new RoomRegistry(), iceServers);

        WebServer server = WebServer.builder()
                .config(config.get("server"))
                .addConnectionSelector(GrpcTransport.connectionSelector(config.get("server")))
                .addRouting(HttpRouting.builder().register("/webrtc", new IceServersEndpoint(iceServers)))
                .addRouting(GrpcTransport.routing(core, iceServers))
                .addRouting(WebSocketTransport.routing(core))
                .build()
                .start();
        return new Switchboard(server);
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
    }
}
