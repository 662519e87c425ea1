package dev.switchboard.server.reliability.monitor;

import java.util.ArrayDeque;

import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.IceConnectionState;
import dev.switchboard.signaling.v1.IceGatheringState;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.PeerView;
import dev.switchboard.signaling.v1.StateTransition;

/**
 * One side's reported view of its RTCPeerConnection to the other side, with a bounded history of changes. Not
 * thread-safe: its {@link PeerPair} guards it.
 */
final class PairView {
    private final String reporter;
    private final String target;
    private final int historySize;
    private final ArrayDeque<StateTransition> history = new ArrayDeque<>();
    private PeerConnectionState connection = PeerConnectionState.PEER_CONNECTION_STATE_UNSPECIFIED;
    private IceConnectionState ice = IceConnectionState.ICE_CONNECTION_STATE_UNSPECIFIED;
    private IceGatheringState gathering = IceGatheringState.ICE_GATHERING_STATE_UNSPECIFIED;
    private long updatedAtMs;
    private long stateSinceMs;

    PairView(String reporter, String target, int historySize) {
        this.reporter = reporter;
        this.target = target;
        this.historySize = historySize;
    }

    /**
     * Applies a report.
     *
     * @param update the report
     * @param nowMs  current time
     * @return true when the connection state changed
     */
    boolean apply(ConnectionStateUpdate update, long nowMs) {
        boolean connectionChanged = update.getConnectionState() != connection;
        boolean changed = connectionChanged
                || update.getIceConnectionState() != ice
                || update.getIceGatheringState() != gathering;
        connection = update.getConnectionState();
        ice = update.getIceConnectionState();
        gathering = update.getIceGatheringState();
        updatedAtMs = nowMs;
        if (connectionChanged) {
            stateSinceMs = nowMs;
        }
        if (changed) {
            history.addLast(StateTransition.newBuilder()
                                    .setConnectionState(connection)
                                    .setIceConnectionState(ice)
                                    .setIceGatheringState(gathering)
                                    .setAtMs(nowMs)
                                    .build());
            if (history.size() > historySize) {
                history.removeFirst();
            }
        }
        return connectionChanged;
    }

    /**
     * The view reduced to a connection state: the reported connectionState, or, from clients that report only
     * the ICE state, what that implies.
     *
     * @return the effective state; UNSPECIFIED when nothing was reported
     */
    PeerConnectionState effectiveState() {
        if (connection != PeerConnectionState.PEER_CONNECTION_STATE_UNSPECIFIED
                && connection != PeerConnectionState.UNRECOGNIZED) {
            return connection;
        }
        return switch (ice) {
            case ICE_CONNECTION_STATE_NEW -> PeerConnectionState.PEER_CONNECTION_STATE_NEW;
            case ICE_CONNECTION_STATE_CHECKING -> PeerConnectionState.PEER_CONNECTION_STATE_CONNECTING;
            case ICE_CONNECTION_STATE_CONNECTED, ICE_CONNECTION_STATE_COMPLETED ->
                    PeerConnectionState.PEER_CONNECTION_STATE_CONNECTED;
            case ICE_CONNECTION_STATE_DISCONNECTED -> PeerConnectionState.PEER_CONNECTION_STATE_DISCONNECTED;
            case ICE_CONNECTION_STATE_FAILED -> PeerConnectionState.PEER_CONNECTION_STATE_FAILED;
            case ICE_CONNECTION_STATE_CLOSED -> PeerConnectionState.PEER_CONNECTION_STATE_CLOSED;
            default -> PeerConnectionState.PEER_CONNECTION_STATE_UNSPECIFIED;
        };
    }

    PeerView toProto(long nowMs) {
        return PeerView.newBuilder()
                .setReporterUserId(reporter)
                .setTargetUserId(target)
                .setConnectionState(connection)
                .setIceConnectionState(ice)
                .setIceGatheringState(gathering)
                .setUpdatedAtMs(updatedAtMs)
                .setTimeInStateMs(updatedAtMs == 0 ? 0 : nowMs - stateSinceMs)
                .addAllHistory(history)
                .build();
    }
}
