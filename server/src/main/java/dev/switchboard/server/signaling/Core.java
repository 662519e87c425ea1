package dev.switchboard.server.signaling;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterListener;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.ice.IceServerRefresh;
import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.relay.SignalRelay;
import dev.switchboard.server.reliability.heartbeat.HeartbeatMonitor;
import dev.switchboard.server.reliability.monitor.ConnectionMonitor;
import dev.switchboard.server.reliability.recovery.IceRestartCoordinator;
import dev.switchboard.server.room.RemoteMembership;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.room.Rooms;
import dev.switchboard.server.routing.ClusterRouter;
import dev.switchboard.server.routing.LocalRouter;
import dev.switchboard.server.routing.Router;
import dev.switchboard.server.session.ClusterMirror;
import dev.switchboard.server.session.SessionMirror;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.server.transport.SignalingPort;

/**
 * The signaling core, wired: sessions, rooms, router, relay and the reliability layer, built from their settings
 * in one place, without any transport or server. The application puts transports in front of {@link #port()};
 * tests may drive the port directly.
 *
 * @param port      what transports call
 * @param operator  what the admin API and shutdown do
 * @param sessions  the live sessions
 * @param rooms     the rooms, as endpoints and gauges read them
 * @param monitor   pairs' reported connection states
 * @param budget    the bytes all sessions and connections together may hold
 * @param listener  what this node does with other nodes' messages (cluster mode)
 */
public record Core(SignalingPort port,
                   Operator operator,
                   SessionRegistry sessions,
                   Rooms rooms,
                   ConnectionMonitor monitor,
                   BufferBudget budget,
                   ClusterListener listener) {
    /**
     * Builds a core.
     *
     * @param settings      the core's settings
     * @param authenticator how clients prove who they are
     * @param iceServers    ICE servers for {@code welcome} and ICE restarts
     * @param cluster       the nodes this one shares rooms and sessions with ({@link Cluster#standalone()}: none);
     *                      the caller starts it with {@link #listener()}
     * @param metrics       where events are counted
     * @param timers        the one timer thread: resume windows, deadlines, backoffs, heartbeats
     * @return the core
     */
    public static Core create(CoreSettings settings, Authenticator authenticator, IceServerProvider iceServers,
                              Cluster cluster, SignalingMetrics metrics, ScheduledExecutorService timers) {
        LimitSettings limits = settings.limits();
        SessionRegistry sessions = new SessionRegistry();
        Rooms rooms = new Rooms();
        BufferBudget budget = BufferBudget.of(limits.bufferBudget());
        RoomRegistry registry = new RoomRegistry(rooms, limits.peersPerRoom(), limits.roomsPerSession(), cluster);
        RemoteMembership remoteMembership = new RemoteMembership(rooms);
        LocalRouter local = new LocalRouter(rooms, sessions);
        // whether a member may live on another node is the router's business, decided here once
        Router router = cluster.shared() ? new ClusterRouter(local, rooms, cluster) : local;
        SessionMirror mirror = cluster.shared() ? new ClusterMirror(cluster) : SessionMirror.NONE;

        IceRestartCoordinator recovery = new IceRestartCoordinator(settings.recovery(), router, iceServers, timers,
                                                                   metrics);
        ConnectionMonitor monitor = new ConnectionMonitor(settings.recovery().historySize(), recovery, rooms);
        rooms.onMemberLeft(monitor::memberLeft);
        IceServerRefresh iceServerRefresh = new IceServerRefresh(iceServers, timers, Clock.systemUTC());
        Teardown teardown = new Teardown(sessions, registry, settings.resume(), iceServerRefresh, timers, cluster);
        SessionFactory factory = new SessionFactory(settings.resume(), settings.dedup(), limits, budget, mirror,
                                                    teardown::bufferOverflowed);
        Welcomes welcomes = new Welcomes(settings.heartbeat(), settings.reconnect(), settings.resume());
        Resumption resumption = new Resumption(sessions, factory, teardown, welcomes, iceServers, iceServerRefresh,
                                               remoteMembership, cluster, metrics);
        Handshake handshake = new Handshake(authenticator, sessions, factory, teardown, resumption, welcomes,
                                            iceServers, iceServerRefresh, limits, metrics);
        SignalingCore port = new SignalingCore(settings.session(), limits, budget, metrics,
                                               new HeartbeatMonitor(settings.heartbeat(), timers), timers,
                                               new SignalRelay(rooms, router, limits, metrics), handshake, teardown,
                                               new RoomRequests(registry, rooms, monitor, router));
        return new Core(port, new Operator(sessions, rooms, registry, teardown), sessions, rooms, monitor, budget,
                        new ClusterEvents(router, remoteMembership, resumption, teardown, sessions));
    }
}
