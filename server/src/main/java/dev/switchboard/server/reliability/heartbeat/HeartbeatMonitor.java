package dev.switchboard.server.reliability.heartbeat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.lang.System.Logger.Level.INFO;

/**
 * Keeps connections alive and finds the dead ones. Every interval it asks each connection for a transport
 * keepalive; a connection from which nothing has arrived for the timeout is declared dropped. The timeout runs
 * from the last thing received, never from what the server sent, so the server's own pings cannot keep a dead
 * peer alive.
 */
public final class HeartbeatMonitor {
    private static final System.Logger LOG = System.getLogger("switchboard.heartbeat");

    private final HeartbeatSettings settings;
    private final Set<Watched> connections = ConcurrentHashMap.newKeySet();

    /**
     * @param settings interval and timeout
     * @param timers   where the periodic work runs
     */
    public HeartbeatMonitor(HeartbeatSettings settings, ScheduledExecutorService timers) {
        this.settings = settings;
        long interval = settings.interval().toNanos();
        timers.scheduleAtFixedRate(this::keepAlive, interval, interval, TimeUnit.NANOSECONDS);
        // Checking a few times per timeout keeps detection close to the timeout itself.
        long check = Math.max(TimeUnit.MILLISECONDS.toNanos(10), settings.timeout().toNanos() / 5);
        timers.scheduleAtFixedRate(this::findSilent, check, check, TimeUnit.NANOSECONDS);
    }

    /**
     * Starts watching a connection.
     *
     * @param connection the connection
     */
    public void watch(Watched connection) {
        connections.add(connection);
    }

    /**
     * Stops watching a connection that is gone.
     *
     * @param connection the connection
     */
    public void forget(Watched connection) {
        connections.remove(connection);
    }

    /**
     * @return the settings, as advertised to clients
     */
    public HeartbeatSettings settings() {
        return settings;
    }

    private void keepAlive() {
        for (Watched connection : connections) {
            connection.keepalive();
        }
    }

    private void findSilent() {
        long now = System.nanoTime();
        long timeout = settings.timeout().toNanos();
        for (Watched connection : connections) {
            long silentFor = now - connection.lastHeardNanos();
            if (silentFor > timeout) {
                connections.remove(connection);
                LOG.log(INFO, "Heartbeat timeout: nothing from " + connection + " for "
                        + TimeUnit.NANOSECONDS.toMillis(silentFor) + " ms; treating the connection as dropped");
                connection.silent();
            }
        }
    }

    /**
     * A connection as the heartbeat sees it.
     */
    public interface Watched {
        /**
         * @return when anything last arrived from the peer, as a {@link System#nanoTime()} reading
         */
        long lastHeardNanos();

        /**
         * Sends a transport-level keepalive, if the transport has one; must not block.
         */
        void keepalive();

        /**
         * Nothing arrived within the timeout: drop the connection. Called once.
         */
        void silent();
    }
}
