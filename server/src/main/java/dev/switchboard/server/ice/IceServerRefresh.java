package dev.switchboard.server.ice;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.switchboard.server.session.Session;
import dev.switchboard.signaling.v1.IceServersUpdated;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * Keeps long-lived sessions supplied with TURN credentials: before the ones a session was handed expire, it gets
 * fresh ones in {@code ice_servers_updated}, at four fifths of their lifetime, for as long as it lasts. A session
 * that is away at that moment gets the message on resume (its {@code welcome} carries fresh ones anyway).
 * Credentials that do not expire need nothing.
 */
public final class IceServerRefresh {
    private static final System.Logger LOG = System.getLogger("switchboard.ice");

    private final IceServerProvider iceServers;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Map<Session, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    /**
     * @param iceServers where fresh credentials come from
     * @param timers     where refreshes wait
     * @param clock      the clock the credentials' expiry is measured against
     */
    public IceServerRefresh(IceServerProvider iceServers, ScheduledExecutorService timers, Clock clock) {
        this.iceServers = iceServers;
        this.timers = timers;
        this.clock = clock;
    }

    /**
     * Records that a session was just handed these servers, replacing any refresh planned for earlier ones.
     *
     * @param session the session
     * @param servers what it was handed
     */
    public void handedOut(Session session, IceServerList servers) {
        if (servers.expiresAt().isEmpty()) {
            return;
        }
        Duration untilExpiry = Duration.between(clock.instant(), servers.expiresAt().get());
        long delayMs = Math.max(0, untilExpiry.minus(servers.ttl().dividedBy(5)).toMillis());
        pending.compute(session, (key, earlier) -> {
            if (earlier != null) {
                earlier.cancel(false);
            }
            return timers.schedule(() -> refresh(session), delayMs, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Stops refreshing a session that ended.
     *
     * @param session the session
     */
    public void stop(Session session) {
        ScheduledFuture<?> planned = pending.remove(session);
        if (planned != null) {
            planned.cancel(false);
        }
    }

    private void refresh(Session session) {
        if (session.ended()) {
            pending.remove(session);
            return;
        }
        IceServerList fresh = iceServers.serversFor(session.userId());
        session.send(ServerMessage.newBuilder().setIceServersUpdated(
                IceServersUpdated.newBuilder()
                        .addAllIceServers(fresh.servers())
                        .setExpiresAtMs(fresh.expiresAtMs())));
        LOG.log(System.Logger.Level.DEBUG, () -> "ICE servers refreshed for " + session + " until "
                + fresh.expiresAt().orElseThrow());
        handedOut(session, fresh);
    }
}
