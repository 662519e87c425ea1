package dev.switchboard.server.reliability.monitor;

import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.room.PairKey;
import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.PairHealth;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.PeerPairStatus;

/**
 * Both views of one pair and the health derived from them. Its lock serialises reports of both sides.
 */
final class PeerPair {
    final ReentrantLock lock = new ReentrantLock();
    private final PairKey key;
    private final PairView firstView;
    private final PairView secondView;
    private PairHealth health = PairHealth.PAIR_HEALTH_NEW;
    private long healthSinceMs = System.currentTimeMillis();

    PeerPair(PairKey key, int historySize) {
        this.key = key;
        this.firstView = new PairView(key.first(), key.second(), historySize);
        this.secondView = new PairView(key.second(), key.first(), historySize);
    }

    /**
     * Applies one side's report. Guarded by {@link #lock}.
     *
     * @param reporter who reported
     * @param update   the report
     * @param nowMs    current time
     * @return true when the reporter's connection state changed
     */
    boolean apply(String reporter, ConnectionStateUpdate update, long nowMs) {
        boolean changed = (reporter.equals(key.first()) ? firstView : secondView).apply(update, nowMs);
        PairHealth derived = derive(firstView.effectiveState(), secondView.effectiveState());
        if (derived != health) {
            health = derived;
            healthSinceMs = nowMs;
        }
        return changed;
    }

    /** Guarded by {@link #lock}. */
    PairHealth health() {
        return health;
    }

    /** Guarded by {@link #lock}. */
    PeerPairStatus.Builder toProto(long nowMs) {
        return PeerPairStatus.newBuilder()
                .setFirstUserId(key.first())
                .setSecondUserId(key.second())
                .setHealth(health)
                .setTimeInHealthMs(nowMs - healthSinceMs)
                .setFirstView(firstView.toProto(nowMs))
                .setSecondView(secondView.toProto(nowMs));
    }

    /**
     * The pair's health: the worst of what either side says, and connected only when every side that reported
     * says so.
     */
    static PairHealth derive(PeerConnectionState a, PeerConnectionState b) {
        if (either(a, b, PeerConnectionState.PEER_CONNECTION_STATE_FAILED)) {
            return PairHealth.PAIR_HEALTH_FAILED;
        }
        if (either(a, b, PeerConnectionState.PEER_CONNECTION_STATE_CLOSED)) {
            return PairHealth.PAIR_HEALTH_CLOSED;
        }
        if (either(a, b, PeerConnectionState.PEER_CONNECTION_STATE_DISCONNECTED)) {
            return PairHealth.PAIR_HEALTH_DISCONNECTED;
        }
        if (either(a, b, PeerConnectionState.PEER_CONNECTION_STATE_CONNECTING)) {
            return PairHealth.PAIR_HEALTH_CONNECTING;
        }
        if (either(a, b, PeerConnectionState.PEER_CONNECTION_STATE_CONNECTED)) {
            boolean aDone = a == PeerConnectionState.PEER_CONNECTION_STATE_CONNECTED
                    || a == PeerConnectionState.PEER_CONNECTION_STATE_UNSPECIFIED;
            boolean bDone = b == PeerConnectionState.PEER_CONNECTION_STATE_CONNECTED
                    || b == PeerConnectionState.PEER_CONNECTION_STATE_UNSPECIFIED;
            return aDone && bDone ? PairHealth.PAIR_HEALTH_CONNECTED : PairHealth.PAIR_HEALTH_CONNECTING;
        }
        return PairHealth.PAIR_HEALTH_NEW;
    }

    private static boolean either(PeerConnectionState a, PeerConnectionState b, PeerConnectionState wanted) {
        return a == wanted || b == wanted;
    }
}
