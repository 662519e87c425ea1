package dev.switchboard.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.google.protobuf.Message;
import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.Error;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.IceRestartFailed;
import dev.switchboard.signaling.v1.IceRestartRequired;
import dev.switchboard.signaling.v1.IceServersUpdated;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.PeerJoined;
import dev.switchboard.signaling.v1.PeerLeft;
import dev.switchboard.signaling.v1.RoomJoined;

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
    public void onRoomJoined(RoomJoined joined) {
        events.add(joined);
    }

    @Override
    public void onOffer(Offer offer) {
        events.add(offer);
    }

    @Override
    public void onAnswer(Answer answer) {
        events.add(answer);
    }

    @Override
    public void onIceCandidate(IceCandidate candidate) {
        events.add(candidate);
    }

    @Override
    public void onPeerJoined(PeerJoined joined) {
        events.add(joined);
    }

    @Override
    public void onPeerLeft(PeerLeft left) {
        events.add(left);
    }

    @Override
    public void onIceRestartRequired(IceRestartRequired restart) {
        events.add(restart);
    }

    @Override
    public void onIceRestartFailed(IceRestartFailed failed) {
        events.add(failed);
    }

    @Override
    public void onIceServersUpdated(IceServersUpdated updated) {
        events.add(updated);
    }

    @Override
    public void onConnectionChanged(ConnectionEvent event, String detail) {
        events.add(new Connection(event, detail));
    }

    @Override
    public void onError(Error error) {
        events.add(error);
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
