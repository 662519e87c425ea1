package dev.switchboard.server.transport.socketio;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import dev.switchboard.signaling.v1.SignalKind;

/**
 * Turns the old gateway's sequence numbers into session sequences. The old client counts per peer and per kind
 * (its third offer to bob is 3, and so is its third answer to carol), so its number cannot be the session's: real
 * signals would be dropped as duplicates. Each first (target, kind, number) gets the session's next sequence; the
 * same triple again gets the sequence it got before, so the core's exactly-once judges it a duplicate. Confined to
 * the connection's reader; remembers the latest {@code capacity} triples (like the core's sequence window).
 * <p>
 * Kept in primitive arrays (an open-addressing table and a ring in arrival order), not a map of entries: an entry
 * lives for {@code capacity} signals, seconds under load, long enough to be promoted, and a map's entry objects
 * then made several MiB a second of old-generation garbage on a busy server.
 */
final class LegacySequences {
    /** Distinct targets one connection may name before the table starts over; a client names its rooms' members. */
    private static final int MAX_TARGETS = 1024;
    /** Triples remembered at first: the arrays double as a connection signals, up to the capacity. */
    private static final int FIRST_SIZE = 16;
    private static final int EMPTY = -1;

    private final Map<String, Integer> targets = new HashMap<>();
    private final int capacity;
    /** The table: for each slot, the triple's number, its target and kind ({@link #owner}), and its sequence. */
    private long[] legacies;
    private int[] owners;
    private long[] sequences;
    private int mask;
    /** The triples in arrival order, a ring, so the eldest can be forgotten. */
    private long[] arrivedLegacies;
    private int[] arrivedOwners;
    private int eldest;
    private int size;
    private long next;

    LegacySequences(int capacity) {
        this.capacity = capacity;
        this.arrivedLegacies = new long[Math.min(capacity, FIRST_SIZE)];
        this.arrivedOwners = new int[arrivedLegacies.length];
        newTable(arrivedLegacies.length);
    }

    /**
     * @param target the peer the signal is for
     * @param kind   the signal's kind
     * @param legacy the client's number for it
     * @return the session sequence it travels with
     */
    long sessionSequence(String target, SignalKind kind, long legacy) {
        int owner = owner(target, kind);
        int slot = find(owner, legacy);
        if (owners[slot] == owner) {
            return sequences[slot];
        }
        if (size == arrivedOwners.length && size < capacity) {
            grow();
            slot = find(owner, legacy);
        }
        int arrival;
        if (size == capacity) {
            remove(arrivedOwners[eldest], arrivedLegacies[eldest]);
            slot = find(owner, legacy);     // the removal may have moved the free slot
            arrival = eldest;
            eldest = (eldest + 1) % capacity;
        } else {
            arrival = (eldest + size) % arrivedOwners.length;
            size++;
        }
        arrivedOwners[arrival] = owner;
        arrivedLegacies[arrival] = legacy;
        owners[slot] = owner;
        legacies[slot] = legacy;
        sequences[slot] = ++next;
        return next;
    }

    /** A target and kind as one number: the target's index on this connection, and the kind. */
    private int owner(String target, SignalKind kind) {
        Integer index = targets.get(target);
        if (index == null) {
            if (targets.size() == MAX_TARGETS) {
                startOver();
            }
            index = targets.size();
            targets.put(target, index);
        }
        return index << 4 | kind.getNumber();
    }

    /** @return the triple's slot, or the free slot where it would go */
    private int find(int owner, long legacy) {
        int slot = hash(owner, legacy) & mask;
        while (owners[slot] != EMPTY && (owners[slot] != owner || legacies[slot] != legacy)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Removes a triple, shifting back the ones after it that probed past its slot (no tombstones). */
    private void remove(int owner, long legacy) {
        int hole = find(owner, legacy);
        owners[hole] = EMPTY;
        for (int slot = (hole + 1) & mask; owners[slot] != EMPTY; slot = (slot + 1) & mask) {
            int home = hash(owners[slot], legacies[slot]) & mask;
            // the entry may fill the hole unless its home lies cyclically within (hole, slot]
            if (((slot - home) & mask) >= ((slot - hole) & mask)) {
                owners[hole] = owners[slot];
                legacies[hole] = legacies[slot];
                sequences[hole] = sequences[slot];
                owners[slot] = EMPTY;
                hole = slot;
            }
        }
    }

    /** Doubles the ring (up to the capacity) and the table, keeping every triple and the arrival order. */
    private void grow() {
        int[] oldOwners = owners;
        long[] oldLegacies = legacies;
        long[] oldSequences = sequences;
        int ring = Math.min(capacity, arrivedOwners.length * 2);
        newTable(ring);
        for (int i = 0; i < oldOwners.length; i++) {
            if (oldOwners[i] != EMPTY) {
                int slot = find(oldOwners[i], oldLegacies[i]);
                owners[slot] = oldOwners[i];
                legacies[slot] = oldLegacies[i];
                sequences[slot] = oldSequences[i];
            }
        }
        int[] ownersInOrder = new int[ring];
        long[] legaciesInOrder = new long[ring];
        for (int i = 0; i < size; i++) {
            int from = (eldest + i) % arrivedOwners.length;
            ownersInOrder[i] = arrivedOwners[from];
            legaciesInOrder[i] = arrivedLegacies[from];
        }
        arrivedOwners = ownersInOrder;
        arrivedLegacies = legaciesInOrder;
        eldest = 0;
    }

    /** A table for {@code entries} triples, at most half full. */
    private void newTable(int entries) {
        int slots = Integer.highestOneBit(Math.max(2, entries) * 2 - 1) << 1;
        legacies = new long[slots];
        owners = new int[slots];
        sequences = new long[slots];
        Arrays.fill(owners, EMPTY);
        mask = slots - 1;
    }

    /** Forgets every triple and target (the session's numbering goes on). */
    private void startOver() {
        targets.clear();
        Arrays.fill(owners, EMPTY);
        size = 0;
        eldest = 0;
    }

    private static int hash(int owner, long legacy) {
        long h = (legacy + owner * 0x9E3779B97F4A7C15L) * 0xBF58476D1CE4E5B9L;
        return (int) (h ^ (h >>> 31));
    }
}
