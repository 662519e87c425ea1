package dev.switchboard.server.reliability.recovery;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.room.PairKey;
import dev.switchboard.server.routing.Router;
import dev.switchboard.signaling.v1.PairHealth;

import static java.lang.System.Logger.Level.INFO;

/**
 * Automatic ICE restart. When a pair fails, or stays disconnected past the grace period, the impolite side (and
 * only it, so the two never send colliding offers) is told to restart ICE, with fresh ICE servers. If the pair is
 * not connected again within the attempt's backoff, the next attempt follows, up to the maximum; then both sides
 * are told that recovery gave up. Reaching connected resets the count; a member leaving cancels it.
 */
public final class IceRestartCoordinator {
    private static final System.Logger LOG = System.getLogger("switchboard.recovery");

    private final PairRecovery.Means means;
    private final RecoverySettings settings;
    private final SignalingMetrics metrics;
    private final ConcurrentHashMap<PairKey, PairRecovery> recoveries = new ConcurrentHashMap<>();

    /**
     * @param settings   grace, backoff and attempts
     * @param router     where the pair's members are found, on this node or another
     * @param iceServers fresh ICE servers for each request
     * @param timers     where grace periods and backoffs run
     * @param metrics    counts restarts requested, recovered and exhausted
     */
    public IceRestartCoordinator(RecoverySettings settings,
                                 Router router,
                                 IceServerProvider iceServers,
                                 ScheduledExecutorService timers,
                                 SignalingMetrics metrics) {
        this.means = new PairRecovery.Means(settings, router, iceServers, timers, metrics);
        this.settings = settings;
        this.metrics = metrics;
    }

    /**
     * A pair's health, after a report; called for every report, in order per pair.
     *
     * @param pair   the pair
     * @param health its health now
     */
    public void healthChanged(PairKey pair, PairHealth health) {
        if (settings.maxAttempts() == 0) {
            return;     // recovery disabled
        }
        switch (health) {
            case PAIR_HEALTH_CONNECTED -> recovered(pair);
            case PAIR_HEALTH_FAILED -> recoveryFor(pair).failed();
            case PAIR_HEALTH_DISCONNECTED -> recoveryFor(pair).disconnected();
            case PAIR_HEALTH_CLOSED -> cancel(pair);
            default -> {
                PairRecovery recovery = recoveries.get(pair);
                if (recovery != null) {
                    recovery.healing();
                }
            }
        }
    }

    /**
     * Cancels whatever is pending for a pair (a member left, or the pair closed).
     *
     * @param pair the pair
     */
    public void cancel(PairKey pair) {
        PairRecovery recovery = recoveries.remove(pair);
        if (recovery != null) {
            recovery.stop();
        }
    }

    /**
     * @param pair a pair
     * @return the attempt in progress (or the last one, once exhausted); 0 when none
     */
    public int attempt(PairKey pair) {
        PairRecovery recovery = recoveries.get(pair);
        return recovery == null ? 0 : recovery.attempt();
    }

    /**
     * @return the configured maximum of attempts
     */
    public int maxAttempts() {
        return settings.maxAttempts();
    }

    private PairRecovery recoveryFor(PairKey pair) {
        return recoveries.computeIfAbsent(pair, key -> new PairRecovery(key, means));
    }

    private void recovered(PairKey pair) {
        PairRecovery recovery = recoveries.remove(pair);
        if (recovery != null) {
            int attempts = recovery.stop();
            if (attempts > 0) {
                metrics.iceRestart("recovered");
                LOG.log(INFO, "ICE restart recovered: " + pair + " connected after " + attempts
                        + (attempts == 1 ? " attempt" : " attempts"));
            }
        }
    }
}
