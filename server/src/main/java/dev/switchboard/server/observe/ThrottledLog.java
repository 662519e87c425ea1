package dev.switchboard.server.observe;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A log line for something a client can cause as often as it likes (refused connections, malformed frames): at
 * most one line per interval, which also says how many were not logged since the last one. Flooding the server
 * must never flood its log.
 */
public final class ThrottledLog {
    private final System.Logger log;
    private final System.Logger.Level level;
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param log      where to log
     * @param level    at which level
     * @param interval at most one line this often
     */
    public ThrottledLog(System.Logger log, System.Logger.Level level, Duration interval) {
        this.log = log;
        this.level = level;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * @param message the line, built only when it is logged
     */
    public void log(Supplier<String> message) {
        long now = System.nanoTime();
        long allowed = nextAllowed.get();
        if ((allowed == Long.MIN_VALUE || now - allowed >= 0) && nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            long skipped = suppressed.getAndSet(0);
            log.log(level, message.get() + (skipped == 0 ? "" : " (and " + skipped + " more like it not logged)"));
        } else {
            suppressed.incrementAndGet();
        }
    }
}
