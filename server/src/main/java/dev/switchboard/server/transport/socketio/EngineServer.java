package dev.switchboard.server.transport.socketio;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.switchboard.server.transport.SignalingPort;
import dev.switchboard.server.transport.gate.Admission;
import dev.switchboard.server.transport.gate.PendingConnections;

/**
 * The server's Engine.IO connections, by session id: opened by a polling handshake or a WebSocket without one,
 * found again by the requests and the upgrade that name it, forgotten when closed. Each gets a tick of the shared
 * timer every ping interval ({@link EngineConnection#tick}).
 * <p>
 * A polling connection holds no socket of its own between requests, so the connection gate cannot bound it: here
 * an address may hold {@code limits.pending-connections-per-address} Engine.IO connections without a session, each
 * for at most {@code limits.hello-timeout}.
 */
final class EngineServer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SignalingPort core;
    private final SocketIoSettings settings;
    private final int sequenceWindow;
    private final ScheduledExecutorService timers;
    private final PendingConnections pending;
    private final ConcurrentHashMap<String, EngineConnection> connections = new ConcurrentHashMap<>();

    EngineServer(SignalingPort core, SocketIoSettings settings, int sequenceWindow, ScheduledExecutorService timers) {
        this.core = core;
        this.settings = settings;
        this.sequenceWindow = sequenceWindow;
        this.timers = timers;
        this.pending = new PendingConnections(settings.pendingPerAddress());
    }

    /**
     * A polling handshake.
     *
     * @param address     the client's address
     * @param queryUserId the handshake's {@code userId} query parameter, or empty
     * @return the new connection; empty when the address holds too many without a session
     */
    Optional<EngineConnection> openPolling(InetAddress address, String queryUserId) {
        if (!pending.admit(address)) {
            return Optional.empty();
        }
        return Optional.of(open(queryUserId, () -> pending.settled(address)));
    }

    /**
     * A WebSocket without a session id: its TCP connection is bounded by the connection gate already.
     *
     * @param queryUserId the upgrade's {@code userId} query parameter, or empty
     * @param admission   the TCP connection's place among its address's pending ones, settled by a session
     * @return the new connection
     */
    EngineConnection openWebSocket(String queryUserId, Optional<Admission> admission) {
        return open(queryUserId, () -> admission.ifPresent(Admission::settle));
    }

    private EngineConnection open(String queryUserId, Runnable settle) {
        byte[] id = new byte[15];
        RANDOM.nextBytes(id);
        String sid = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        AtomicReference<Future<?>> ticks = new AtomicReference<>();
        AtomicReference<EngineConnection> self = new AtomicReference<>();
        EngineConnection connection = new EngineConnection(
                sid, settings,
                engine -> new Namespaces(engine, core, settings, sequenceWindow, queryUserId, settle),
                () -> {
                    connections.remove(sid);
                    Future<?> tick = ticks.get();
                    if (tick != null) {
                        tick.cancel(false);
                    }
                    if (self.get().admit()) {
                        settle.run();   // closed without a session: no longer pending
                    }
                });
        self.set(connection);
        connections.put(sid, connection);
        long interval = settings.pingInterval().toNanos();
        ticks.set(timers.scheduleAtFixedRate(connection::tick, interval, interval, TimeUnit.NANOSECONDS));
        if (connection.isClosed()) {
            ticks.get().cancel(false);
        }
        return connection;
    }

    /**
     * @param sid an Engine.IO session id
     * @return its connection, while open
     */
    Optional<EngineConnection> find(String sid) {
        return Optional.ofNullable(connections.get(sid));
    }

    /**
     * @return how many Engine.IO connections are open
     */
    int size() {
        return connections.size();
    }
}
