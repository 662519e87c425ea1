package dev.switchboard.server.reliability.recovery;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.ice.IceServerList;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.room.NegotiationRoles;
import dev.switchboard.server.room.PairKey;
import dev.switchboard.server.routing.Router;
import dev.switchboard.signaling.v1.IceRestartFailed;
import dev.switchboard.signaling.v1.IceRestartRequired;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The recovery of one pair ({@link IceRestartCoordinator}): a grace period after {@code disconnected}, then ICE
 * restart requests to the impolite side with backoff, up to the maximum, and {@code ice_restart_failed} to both.
 * Reports (under the monitor's pair lock) and timers both go through its lock.
 */
final class PairRecovery {
    private static final System.Logger LOG = System.getLogger("switchboard.recovery");

    private final RecoverySettings settings;
    private final Router router;
    private final IceServerProvider iceServers;
    private final ScheduledExecutorService timers;
    private final SignalingMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final PairKey pair;
    private final String impolite;
    private ScheduledFuture<?> timer;
    private boolean graceRunning;
    private int attempt;
    private boolean exhausted;
    private boolean stopped;

    /**
     * What every pair's recovery works with, shared.
     *
     * @param settings   grace, backoff and attempts
     * @param router     where the pair's members are found, on this node or another
     * @param iceServers fresh ICE servers for each request
     * @param timers     where grace periods and backoffs run
     * @param metrics    counts restarts requested and exhausted
     */
    record Means(RecoverySettings settings, Router router, IceServerProvider iceServers,
                 ScheduledExecutorService timers, SignalingMetrics metrics) {
    }

    PairRecovery(PairKey pair, Means means) {
        this.pair = pair;
        this.settings = means.settings();
        this.router = means.router();
        this.iceServers = means.iceServers();
        this.timers = means.timers();
        this.metrics = means.metrics();
        this.impolite = NegotiationRoles.impoliteOf(pair.first(), pair.second());
    }

    void failed() {
        lock.lock();
        try {
            if (idle() || graceRunning) {
                cancelTimer();
                request(1, "failed");
            }
        } finally {
            lock.unlock();
        }
    }

    void disconnected() {
        lock.lock();
        try {
            if (idle() && !graceRunning) {
                graceRunning = true;
                timer = timers.schedule(this::graceOver, settings.disconnectedGrace().toMillis(),
                                        TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The pair is connecting again by itself: a running grace period is over. */
    void healing() {
        lock.lock();
        try {
            if (graceRunning) {
                cancelTimer();
            }
        } finally {
            lock.unlock();
        }
    }

    int attempt() {
        lock.lock();
        try {
            return attempt;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the attempts made
     */
    int stop() {
        lock.lock();
        try {
            stopped = true;
            cancelTimer();
            return attempt;
        } finally {
            lock.unlock();
        }
    }

    private boolean idle() {
        return !stopped && !exhausted && attempt == 0;
    }

    private void graceOver() {
        lock.lock();
        try {
            if (graceRunning && !stopped) {
                graceRunning = false;
                request(1, "disconnected for " + settings.disconnectedGrace().toMillis() + " ms");
            }
        } finally {
            lock.unlock();
        }
    }

    private void attemptOver() {
        lock.lock();
        try {
            if (stopped) {
                return;
            }
            if (attempt < settings.maxAttempts()) {
                request(attempt + 1, "not connected after attempt " + attempt);
                return;
            }
            exhausted = true;
            timer = null;
            metrics.iceRestart("exhausted");
            LOG.log(WARNING, "ICE restart max attempts reached: " + pair + " not connected after " + attempt
                    + " attempts");
            tell(pair.first(), pair.second());
            tell(pair.second(), pair.first());
        } finally {
            lock.unlock();
        }
    }

    private void request(int next, String reason) {
        attempt = next;
        graceRunning = false;
        String target = impolite.equals(pair.first()) ? pair.second() : pair.first();
        metrics.iceRestart("requested");
        LOG.log(INFO, "ICE restart recommended: " + pair + " (" + reason + "); asking " + impolite
                + ", attempt " + next + " of " + settings.maxAttempts());
        IceServerList fresh = iceServers.serversFor(impolite);
        send(pair.roomId(), impolite,
                ServerMessage.newBuilder().setIceRestartRequired(
                        IceRestartRequired.newBuilder()
                                .setRoomId(pair.roomId())
                                .setTargetUserId(target)
                                .setAttempt(next)
                                .setMaxAttempts(settings.maxAttempts())
                                .addAllIceServers(fresh.servers())
                                .setIceServersExpiresAtMs(fresh.expiresAtMs())
                                .setReason(reason)));
        timer = timers.schedule(this::attemptOver, settings.backoffFor(next).toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tell(String user, String peer) {
        send(pair.roomId(), user,
                ServerMessage.newBuilder().setIceRestartFailed(IceRestartFailed.newBuilder()
                                                                       .setRoomId(pair.roomId())
                                                                       .setTargetUserId(peer)
                                                                       .setAttempts(attempt)));
    }

    /** Runs on the timer thread: delivery to a member on another node completes later, never waits here. */
    private void send(String roomId, String userId, ServerMessage.Builder message) {
        router.find(roomId, userId).ifPresent(member -> member.deliver(message).exceptionally(failure -> {
            LOG.log(WARNING, "Could not tell " + userId + " in room " + roomId + " about " + pair + ": "
                    + failure.getMessage());
            return null;
        }));
    }

    private void cancelTimer() {
        graceRunning = false;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
