package dev.switchboard.server.signaling;

import dev.switchboard.signaling.v1.PeerConnectionState;

/**
 * The browser's names for protocol enum values ({@code PEER_CONNECTION_STATE_FAILED} is "failed"), for logs.
 */
final class StateNames {
    private StateNames() {
    }

    static String connection(PeerConnectionState state) {
        return switch (state) {
            case PEER_CONNECTION_STATE_UNSPECIFIED, UNRECOGNIZED -> "unreported";
            default -> state.name().substring("PEER_CONNECTION_STATE_".length()).toLowerCase();
        };
    }
}
