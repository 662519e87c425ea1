package dev.switchboard.loadgen.workload;

import dev.switchboard.loadgen.peer.BenchPeer;

/** A peer as the workload sees it: whom it sends to, whose signals it receives, what it has in flight. */
final class Endpoint {
    final BenchPeer peer;
    final Lane lane;
    /** The user id its signals go to. */
    String target;
    /** Whose signals arrive here (the partner; itself against the echo server). */
    Endpoint sender;
    /** Signals sent in the current phase (paced mode schedules by it). */
    long sent;
    /** Signals sent and not yet received by their target. */
    long inFlight;
    /** Handshake: this peer makes the offer; it has the answer; the pair is done. */
    boolean offerer;
    boolean answered;
    boolean negotiated;
    int candidatesReceived;
    boolean unflushed;

    Endpoint(BenchPeer peer, Lane lane) {
        this.peer = peer;
        this.lane = lane;
    }
}
