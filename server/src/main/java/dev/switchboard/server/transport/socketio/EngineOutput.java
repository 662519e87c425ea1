package dev.switchboard.server.transport.socketio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.transport.websocket.FrameBuffer;
import dev.switchboard.server.transport.websocket.WebSocketChannel;

/**
 * What one Engine.IO connection owes its client, and the way it goes: queued for the client's next poll, or
 * written to its WebSocket, and across the upgrade from one to the other, what the last poll left before anything
 * sent on the new socket.
 * <p>
 * Its lock orders what is written: only the connection's own threads (its namespace's outbox writer, its reader,
 * a ping's virtual thread) take it, and a socket write under it stalls no one else. It calls nothing that locks.
 */
final class EngineOutput {
    /** How many bytes of packets wait for the client's next poll before writers are held back. */
    private static final int MAX_QUEUED_BYTES = 1 << 20;

    private final long longestPollNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a packet is queued, the transport changes, or the output closes. */
    private final Condition readable = lock.newCondition();
    /** Signalled when a poll took the queue, or the output closes. */
    private final Condition drained = lock.newCondition();
    // guarded by lock
    private WebSocketChannel socket;
    private WebSocketChannel probing;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean pollWaiting;
    private boolean closed;
    private final FrameBuffer frames = new FrameBuffer();

    /**
     * @param longestPollNanos how long a poll waits at most for packets (a ping is queued before then)
     */
    EngineOutput(long longestPollNanos) {
        this.longestPollNanos = longestPollNanos;
    }

    /** Starts on a WebSocket: no polling, no upgrade. */
    void useSocket(WebSocketChannel channel) {
        lock.lock();
        try {
            socket = channel;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends Engine.IO packets: on the WebSocket (one socket write), or queued for the next poll. Blocks while the
     * poll queue is full (the client does not poll), which holds the namespace's outbox writer back until its own
     * queue's limit drops the client as a slow consumer.
     *
     * @param packets whole Engine.IO packets, e.g. {@code 42/webrtc,["offer",{...}]}
     * @throws IOException when the output is closed, or the socket broken
     */
    void send(List<String> packets) throws IOException {
        lock.lock();
        try {
            while (!closed && socket == null && queuedBytes > MAX_QUEUED_BYTES) {
                drained.awaitNanos(TimeUnit.SECONDS.toNanos(1));
            }
            if (closed) {
                throw new IOException("the Engine.IO connection is closed");
            }
            if (socket != null) {
                write(socket, packets);
                return;
            }
            for (String packet : packets) {
                queue.add(packet);
                queuedBytes += packet.length();
            }
            readable.signalAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the client did not poll", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends a writer's batch: as text frames in one socket write, or as text queued for the next poll.
     *
     * @param batch the packets
     * @throws IOException when the output is closed, or the socket broken
     */
    void send(PacketBuffer batch) throws IOException {
        lock.lock();
        try {
            if (socket == null || closed) {
                send(batch.texts());    // queued for a poll (the lock is reentrant; its wait releases it whole)
                return;
            }
            for (int i = 0; i < batch.packets(); i++) {
                frames.text(batch.array(), batch.start(i), batch.end(i) - batch.start(i));
            }
            try {
                socket.send(frames.array(), frames.length());
            } catch (RuntimeException e) {
                throw new IOException("the WebSocket is broken", e);
            } finally {
                frames.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held: the packets as text frames, one socket write. */
    private void write(WebSocketChannel to, List<String> packets) throws IOException {
        for (String packet : packets) {
            byte[] utf8 = packet.getBytes(StandardCharsets.UTF_8);
            frames.text(utf8, 0, utf8.length);
        }
        try {
            to.send(frames.array(), frames.length());
        } catch (RuntimeException e) {
            throw new IOException("the WebSocket is broken", e);
        } finally {
            frames.clear();
        }
    }

    /**
     * A long-polling GET: waits until packets are queued, at most the longest poll.
     *
     * @return the packets for the response; {@code 6} (noop) once upgraded, {@code 1} (close) once closed
     * @throws IllegalStateException when another poll is waiting already (the protocol allows one)
     */
    List<String> poll() throws InterruptedException {
        lock.lock();
        try {
            if (pollWaiting) {
                throw new IllegalStateException("another poll is waiting");
            }
            pollWaiting = true;
            long left = longestPollNanos;
            while (queue.isEmpty() && !closed && socket == null && left > 0) {
                left = readable.awaitNanos(left);
            }
            pollWaiting = false;
            if (!queue.isEmpty()) {
                List<String> packets = new ArrayList<>(queue);
                queue.clear();
                queuedBytes = 0;
                drained.signalAll();
                return packets;
            }
            return List.of(closed ? "1" : "6");
        } finally {
            lock.unlock();
        }
    }

    /** {@code 2probe} on the socket about to replace polling: answered on it, and the waiting poll ends. */
    void probe(WebSocketChannel candidate) throws IOException {
        lock.lock();
        try {
            write(candidate, List.of("3probe"));
            probing = candidate;
            queue.add("6");     // the waiting poll returns, so that the client can pause polling
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code 5} on the probed socket: from now on everything goes over it, starting with what the last poll left.
     *
     * @return false when that socket was never probed (the upgrade is refused)
     * @throws IOException when the socket broke while the rest of the queue was written to it
     */
    boolean upgrade(WebSocketChannel candidate) throws IOException {
        lock.lock();
        try {
            if (probing != candidate || closed) {
                return false;
            }
            List<String> left = new ArrayList<>(queue);
            left.removeIf("6"::equals);
            queue.clear();
            queuedBytes = 0;
            socket = candidate;
            readable.signalAll();
            drained.signalAll();
            if (!left.isEmpty()) {
                write(candidate, left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the output: writers fail from now on, a waiting poll gets the close packet.
     *
     * @return the socket to close, if the connection has one (or one being probed)
     */
    Optional<WebSocketChannel> close() {
        lock.lock();
        try {
            closed = true;
            readable.signalAll();
            drained.signalAll();
            return Optional.ofNullable(socket != null ? socket : probing);
        } finally {
            lock.unlock();
        }
    }
}
