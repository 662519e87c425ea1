package dev.switchboard.server.reliability.dedup;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.protobuf.MessageLite;

/**
 * The unnumbered signals a session sent recently, remembered by a digest of their bytes for a fixed time, so
 * that a legacy client re-sending the very same offer, answer or candidate is caught. Bounded in entries: when
 * full, the oldest is forgotten first. Not thread-safe.
 */
final class RecentSignals {
    private final long ttlNanos;
    private final int maxEntries;
    /** Digest to expiry, in insertion order, which is also expiry order since the TTL is fixed. */
    private final LinkedHashMap<Digest, Long> expiries = new LinkedHashMap<>();
    /** Made on the first unnumbered signal: most sessions number theirs and never need one. */
    private MessageDigest sha256;

    RecentSignals(long ttlNanos, int maxEntries) {
        this.ttlNanos = ttlNanos;
        this.maxEntries = maxEntries;
    }

    /**
     * Remembers a signal unless it is already remembered.
     *
     * @param kind    a tag separating signal kinds
     * @param payload the signal, as the client sent it (room, target and content)
     * @param now     current {@link System#nanoTime()}
     * @return true when the same signal was seen within the TTL
     */
    boolean seenBefore(int kind, MessageLite payload, long now) {
        expire(now);
        if (sha256 == null) {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        }
        sha256.reset();
        sha256.update((byte) kind);
        sha256.update(payload.toByteArray());
        ByteBuffer hash = ByteBuffer.wrap(sha256.digest());
        Digest digest = new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
        if (expiries.containsKey(digest)) {
            return true;
        }
        expiries.put(digest, now + ttlNanos);
        if (expiries.size() > maxEntries) {
            Iterator<Long> oldest = expiries.values().iterator();
            oldest.next();
            oldest.remove();
        }
        return false;
    }

    /**
     * @return signals remembered
     */
    int size() {
        return expiries.size();
    }

    private void expire(long now) {
        Iterator<Map.Entry<Digest, Long>> entries = expiries.entrySet().iterator();
        while (entries.hasNext() && entries.next().getValue() - now <= 0) {
            entries.remove();
        }
    }

    private record Digest(long a, long b, long c, long d) {
    }
}
