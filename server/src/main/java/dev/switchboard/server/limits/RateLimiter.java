package dev.switchboard.server.limits;

/**
 * A token bucket: {@code burst} messages at once, refilled at {@code rate} per second. Not thread-safe: each
 * session's is used under that session's inbound lock.
 */
public final class RateLimiter {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    /**
     * @param rate  sustained messages per second
     * @param burst messages allowed at once
     */
    public RateLimiter(double rate, int burst) {
        this.perNano = rate / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.lastNanos = System.nanoTime();
    }

    /**
     * Takes one token if there is one.
     *
     * @param nowNanos {@link System#nanoTime()}
     * @return whether the message may go through
     */
    public boolean tryAcquire(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * perNano);
        lastNanos = nowNanos;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
