package dev.switchboard.loadgen.peer;

/** The three signals every signaling server relays, in each server's own vocabulary. */
public enum SignalKind {
    OFFER,
    ANSWER,
    CANDIDATE;

    /**
     * @return the same kind in Switchboard's protocol
     */
    public dev.switchboard.signaling.v1.SignalKind switchboardKind() {
        return switch (this) {
            case OFFER -> dev.switchboard.signaling.v1.SignalKind.SIGNAL_KIND_OFFER;
            case ANSWER -> dev.switchboard.signaling.v1.SignalKind.SIGNAL_KIND_ANSWER;
            case CANDIDATE -> dev.switchboard.signaling.v1.SignalKind.SIGNAL_KIND_ICE_CANDIDATE;
        };
    }
}
