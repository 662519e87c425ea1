package dev.switchboard.loadgen.peer;

/** The three signals every signaling server relays, in each server's own vocabulary. */
public enum SignalKind {
    OFFER,
    ANSWER,
    CANDIDATE
}
