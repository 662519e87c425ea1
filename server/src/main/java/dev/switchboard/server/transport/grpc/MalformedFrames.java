package dev.switchboard.server.transport.grpc;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;

/**
 * What one HTTP/2 connection sent that its streams had to be reset for (a message over the size limit, a
 * compressed flag without a negotiated encoding), kept to one log line per connection: a client that sends
 * thousands of bad frames costs the log one line, not thousands of stack traces.
 */
final class MalformedFrames {
    private static final System.Logger LOG = System.getLogger("switchboard.grpc");

    private final AtomicLong count = new AtomicLong();

    /**
     * @param detail what was wrong, built only when it is logged
     */
    void report(Supplier<String> detail) {
        long seen = count.incrementAndGet();
        if (seen == 1) {
            LOG.log(INFO, detail.get() + " (further ones on this connection are logged at DEBUG only)");
        } else if (LOG.isLoggable(DEBUG)) {
            LOG.log(DEBUG, detail.get() + " (" + seen + " on this connection)");
        }
    }

    /**
     * @return how many were reported on this connection
     */
    long count() {
        return count.get();
    }
}
