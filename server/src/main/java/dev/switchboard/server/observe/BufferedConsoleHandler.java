package dev.switchboard.server.observe;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * Log lines to standard output, buffered: a line costs formatting and a copy under a short lock, and a writer
 * thread writes what gathered every {@link #FLUSH_MILLIS} ms (at once for a warning or worse). The JDK's and
 * Helidon's console handlers flush every record, a write system call under one lock that every logging thread
 * queues behind: a burst of sessions opening at once spent half its CPU there.
 * <p>
 * A process killed with SIGKILL loses what it logged in its last {@link #FLUSH_MILLIS} ms; a normal shutdown
 * flushes everything ({@link DrainingLogManager}).
 */
public final class BufferedConsoleHandler extends Handler {
    static final long FLUSH_MILLIS = 100;

    private final ReentrantLock lock = new ReentrantLock();
    /** Through {@code System.out} as it is when logging starts, so a test harness that captures it sees the log. */
    private final Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8),
                                                  64 * 1024);
    // guarded by lock
    private boolean pending;

    /** Created by java.util.logging from logging.properties. */
    public BufferedConsoleHandler() {
        setFormatter(configuredFormatter());
        Thread.ofPlatform().name("switchboard-log-writer").daemon().start(this::flushLoop);
    }

    /** The formatter logging.properties names ({@code <this class>.formatter}), else the text one. */
    private Formatter configuredFormatter() {
        String name = LogManager.getLogManager().getProperty(getClass().getName() + ".formatter");
        if (name != null && !name.isBlank()) {
            try {
                return (Formatter) Class.forName(name.trim()).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | ClassCastException e) {
                reportError("cannot make the formatter " + name, e, ErrorManager.GENERIC_FAILURE);
            }
        }
        return new TextLogFormatter();
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String line;
        try {
            line = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError("cannot format a log record", e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        lock.lock();
        try {
            out.write(line);
            pending = true;
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                flushLocked();     // a warning is seen at once, and survives a crash right after it
            }
        } catch (IOException e) {
            reportError("cannot write a log line", e, ErrorManager.WRITE_FAILURE);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flush() {
        lock.lock();
        try {
            flushLocked();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        flush();
    }

    /** Called with the lock held. */
    private void flushLocked() {
        if (!pending) {
            return;
        }
        try {
            out.flush();
            pending = false;
        } catch (IOException e) {
            reportError("cannot write log lines", e, ErrorManager.FLUSH_FAILURE);
        }
    }

    private void flushLoop() {
        while (true) {
            try {
                Thread.sleep(FLUSH_MILLIS);     // the flush cadence itself: nothing to wait for but time
            } catch (InterruptedException e) {
                flush();
                return;
            }
            flush();
        }
    }
}
