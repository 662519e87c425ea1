package dev.switchboard.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.google.protobuf.Message;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Records everything a client's listener is told, in order, for tests to await with a deadline.
 */
final class RecordingListener implements SignalingListener {
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** A connection event, as recorded. */
    record Connection(ConnectionEvent event, String detail) {
    }

    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final List<Object> seen = new ArrayList<>();

    @Override
    public void onMessage(Message message) {
        events.add(message);
    }

    @Override
    public void onConnectionChanged(ConnectionEvent event, String detail) {
        events.add(new Connection(event, detail));
    }

    /**
     * @return the next event of that type that matches, skipping (and keeping) others
     */
    <T> T next(Class<T> type, Predicate<T> wanted) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Object event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
                if (event == null) {
                    return fail("no " + type.getSimpleName() + " as wanted within " + TIMEOUT + "; saw " + seen);
                }
                seen.add(event);
                if (type.isInstance(event) && wanted.test(type.cast(event))) {
                    return type.cast(event);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    <T> T next(Class<T> type) {
        return next(type, any -> true);
    }

    Connection next(ConnectionEvent event) {
        return next(Connection.class, connection -> connection.event() == event);
    }

    /**
     * @return every event recorded so far of that type, including those already passed over
     */
    <T extends Message> List<T> all(Class<T> type) {
        List<Object> everything = new ArrayList<>(seen);
        everything.addAll(events);
        return everything.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
