package dev.switchboard.server.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.switchboard.testkit.Peer;

/**
 * Everything logged in the test's JVM (where an in-process {@link TestServer} runs) while it is open: for tests of
 * what a client can make the server write to its log.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final List<LogRecord> records = new ArrayList<>();

    private LogCapture() {
        setLevel(Level.ALL);
    }

    /**
     * @return a capture of the root logger, running until closed
     */
    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    /**
     * @param level the least level
     * @return the records at that level or above, so far
     */
    public synchronized List<LogRecord> atLeast(Level level) {
        return records.stream().filter(record -> record.getLevel().intValue() >= level.intValue()).toList();
    }

    /**
     * Waits for a record, failing the test after {@link Peer#TIMEOUT}.
     *
     * @param wanted what the record must match
     * @return the first such record
     */
    public synchronized LogRecord await(Predicate<LogRecord> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Peer.TIMEOUT.toNanos();
        while (true) {
            for (LogRecord record : records) {
                if (wanted.test(record)) {
                    return record;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no such log record within " + Peer.TIMEOUT);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public synchronized void publish(LogRecord record) {
        records.add(record);
        notifyAll();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
