package dev.switchboard.server.transport.socketio;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.switchboard.signaling.v1.SignalKind;

/**
 * Turns the old gateway's sequence numbers into session sequences. The old client counts per peer and per kind
 * (its third offer to bob is 3, and so is its third answer to carol), so its number cannot be the session's: real
 * signals would be dropped as duplicates. Each first (target, kind, number) gets the session's next sequence; the
 * same triple again gets the sequence it got before, so the core's exactly-once judges it a duplicate. Confined to
 * the connection's reader; remembers the latest {@code capacity} triples (like the core's sequence window).
 */
final class LegacySequences {
    private final Map<Key, Long> assigned;
    private long next;

    LegacySequences(int capacity) {
        this.assigned = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * @param target the peer the signal is for
     * @param kind   the signal's kind
     * @param legacy the client's number for it
     * @return the session sequence it travels with
     */
    long sessionSequence(String target, SignalKind kind, long legacy) {
        return assigned.computeIfAbsent(new Key(target, kind, legacy), key -> ++next);
    }

    private record Key(String target, SignalKind kind, long legacy) {
    }
}
