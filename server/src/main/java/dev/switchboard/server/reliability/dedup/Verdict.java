package dev.switchboard.server.reliability.dedup;

/**
 * What duplicate detection decided about a signal.
 */
public enum Verdict {
    /** Not seen before: relay it. */
    NEW,
    /** Already applied: acknowledge as a duplicate, do not relay. */
    DUPLICATE,
    /** Superseded by a later offer or ICE generation: acknowledge as stale, do not relay. */
    STALE
}
