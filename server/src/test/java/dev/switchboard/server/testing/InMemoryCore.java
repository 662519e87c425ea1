package dev.switchboard.server.testing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import dev.switchboard.server.auth.AuthSettings;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.ice.IceSettings;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.signaling.Core;
import dev.switchboard.server.signaling.CoreSettings;
import io.helidon.config.Config;
import io.helidon.metrics.api.Metrics;

/**
 * The signaling core as {@code Switchboard.create} wires it (standalone), with no web server and no sockets:
 * clients are {@link MemoryLink}s that hand the core decoded messages and keep what it writes. Tests of the core's
 * parts (relay, rooms, sessions, hello and resume) run through it in milliseconds.
 */
public final class InMemoryCore implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1);
    private final SignalingMetrics metrics = new SignalingMetrics(Metrics.globalRegistry());
    private final List<MemoryLink> links = new ArrayList<>();
    private final Core core;

    /**
     * @param overrides settings that differ from the built-in defaults, as in {@link TestServer#start(Map)}
     */
    public InMemoryCore(Map<String, String> overrides) {
        Config config = SwitchboardConfig.withOverrides(overrides);
        core = Core.create(CoreSettings.from(config), Authenticator.create(AuthSettings.from(config)),
                           new IceServerProvider(IceSettings.from(config), Clock.systemUTC()), Cluster.standalone(),
                           metrics, timers);
    }

    /** A core with the built-in defaults. */
    public InMemoryCore() {
        this(Map.of());
    }

    /**
     * Opens a connection, as a transport does for a new WebSocket or gRPC stream.
     *
     * @param name names the client in failures
     * @return the client's side of it
     */
    public MemoryLink connect(String name) {
        return connect(name, true);
    }

    /**
     * Opens a connection whose client can resume its session, or not (as a Socket.IO client cannot).
     *
     * @param name      names the client in failures
     * @param resumable what the link says of its client
     * @return the client's side of it
     */
    public MemoryLink connect(String name, boolean resumable) {
        MemoryLink link = new MemoryLink(name, resumable);
        link.attach(core.port().open(link));
        links.add(link);
        return link;
    }

    /**
     * @return the core's parts, for assertions on its state
     */
    public Core core() {
        return core;
    }

    @Override
    public void close() {
        links.forEach(MemoryLink::disconnect);
        timers.shutdownNow();
        metrics.close();
    }
}
