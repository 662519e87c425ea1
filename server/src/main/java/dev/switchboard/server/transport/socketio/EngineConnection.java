package dev.switchboard.server.transport.socketio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.transport.websocket.FrameBuffer;
import dev.switchboard.server.transport.websocket.WebSocketChannel;

/**
 * One Engine.IO (protocol v4) connection: the packets it owes the client, over HTTP long-polling until the client
 * upgrades to a WebSocket (or over a WebSocket from the start), its pings, and the Socket.IO namespaces it
 * carries ({@link Namespaces}).
 * <p>
 * {@link #lock} orders what is written to the client: packets queued for the next poll, and across the upgrade
 * the queue's rest before anything sent on the new socket. Only this connection's own threads (its namespace's
 * outbox writer, its reader, a ping's virtual thread) take it, and a socket write under it stalls no one else.
 */
final class EngineConnection {
    /** How many bytes of packets wait for the client's next poll before writers are held back. */
    private static final int MAX_QUEUED_BYTES = 1 << 20;

    private final String sid;
    private final SocketIoSettings settings;
    private final Namespaces namespaces;
    private final Runnable onClosed;
    private final long openedNanos = System.nanoTime();
    private final AtomicBoolean pingInFlight = new AtomicBoolean();
    private final AtomicBoolean admitted = new AtomicBoolean();
    private final AtomicBoolean posting = new AtomicBoolean();

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a packet is queued, the transport changes, or the connection closes. */
    private final Condition readable = lock.newCondition();
    /** Signalled when a poll took the queue, or the connection closes. */
    private final Condition drained = lock.newCondition();
    // guarded by lock
    private WebSocketChannel socket;
    private WebSocketChannel probing;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean pollWaiting;
    private final FrameBuffer frames = new FrameBuffer();

    private volatile boolean closed;
    private volatile long lastHeardNanos = System.nanoTime();

    EngineConnection(String sid, SocketIoSettings settings, Namespaces.Factory namespaces, Runnable onClosed) {
        this.sid = sid;
        this.settings = settings;
        this.namespaces = namespaces.create(this);
        this.onClosed = onClosed;
    }

    /**
     * @param upgrades whether the client may upgrade (a polling connection) or not (a WebSocket already)
     * @return the Engine.IO open packet
     */
    String openPacket(boolean upgrades) {
        return "0{\"sid\":\"" + sid + "\",\"upgrades\":" + (upgrades ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":" + settings.pingInterval().toMillis()
                + ",\"pingTimeout\":" + settings.pingTimeout().toMillis()
                + ",\"maxPayload\":" + settings.maxPayload() + "}";
    }

    /** Starts on a WebSocket (no polling, no upgrade). */
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
     * @throws IOException when the connection is closed
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
                for (String packet : packets) {
                    byte[] utf8 = packet.getBytes(StandardCharsets.UTF_8);
                    frames.text(utf8, 0, utf8.length);
                }
                try {
                    socket.send(frames.array(), frames.length());
                } finally {
                    frames.clear();
                }
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
     * A long-polling GET: waits until packets are queued, at most a ping interval (a ping is queued by then).
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
            long left = settings.pingInterval().toNanos() + settings.pingTimeout().toNanos() / 2;
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

    /**
     * A packet from the client, on its polling requests or its WebSocket: the reader's thread, one at a time.
     *
     * @param packet the Engine.IO packet's text
     */
    void receive(String packet) {
        lastHeardNanos = System.nanoTime();
        if (packet.isEmpty()) {
            close("empty packet");
            return;
        }
        switch (packet.charAt(0)) {
            case '1' -> close("client closed");
            case '2' -> sendFromReader("3" + packet.substring(1));    // a client's ping (Engine.IO v3 habit)
            case '3', '6' -> {
                // a pong, or a noop: counted as a sign of life above
            }
            case '4' -> namespaces.receive(packet.substring(1));
            default -> close("unknown Engine.IO packet type '" + packet.charAt(0) + "'");
        }
    }

    /** {@code 2probe} on the socket that is about to replace polling: answered on it, and the waiting poll ends. */
    void probe(WebSocketChannel candidate) {
        byte[] probe = "3probe".getBytes(StandardCharsets.US_ASCII);
        FrameBuffer frame = new FrameBuffer();
        frame.text(probe, 0, probe.length);
        candidate.send(frame.array(), frame.length());
        lock.lock();
        try {
            probing = candidate;
            queue.add("6");     // the waiting poll returns, so the client can pause polling
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code 5} on the probed socket: from now on everything goes over it, starting with what the last poll left.
     *
     * @return false when that socket was never probed (the upgrade is refused)
     */
    boolean upgrade(WebSocketChannel candidate) {
        lock.lock();
        try {
            if (probing != candidate || closed) {
                return false;
            }
            List<String> left = new ArrayList<>(queue);
            left.remove("6");
            queue.clear();
            queuedBytes = 0;
            socket = candidate;
            readable.signalAll();
            drained.signalAll();
            if (!left.isEmpty()) {
                sendFromReader(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Sends Engine.IO-level packets from the reader's thread, which may block on its own socket. */
    private void sendFromReader(String packet) {
        sendFromReader(List.of(packet));
    }

    private void sendFromReader(List<String> packets) {
        try {
            send(packets);
        } catch (IOException | RuntimeException e) {
            close("write failed");
        }
    }

    /**
     * The shared timer's tick, every ping interval: decides, and leaves the socket work (a ping, a close) to a
     * virtual thread, since the timer thread must never wait on a client.
     */
    void tick() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        long silence = now - lastHeardNanos;
        if (silence > settings.pingInterval().toNanos() + settings.pingTimeout().toNanos()) {
            Thread.startVirtualThread(() -> close("ping timeout"));
        } else if (!namespaces.anyOpen() && now - openedNanos > settings.connectTimeout().toNanos()) {
            Thread.startVirtualThread(() -> close("no namespace connected within the connect timeout"));
        } else if (pingInFlight.compareAndSet(false, true)) {
            Thread.startVirtualThread(() -> {
                try {
                    sendFromReader("2");
                } finally {
                    pingInFlight.set(false);
                }
            });
        }
    }

    /**
     * Ends the connection: the socket or the waiting poll is let go, and every namespace's connection closes.
     * Idempotent; any thread but the timer's.
     *
     * @param reason for logs
     */
    void close(String reason) {
        WebSocketChannel open;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            open = socket != null ? socket : probing;
            readable.signalAll();
            drained.signalAll();
        } finally {
            lock.unlock();
        }
        if (open != null) {
            open.close();
        }
        namespaces.closed(reason);
        onClosed.run();
    }

    /** A namespace opened a session: the connection no longer counts against its address's pending ones. */
    boolean admit() {
        return admitted.compareAndSet(false, true);
    }

    /**
     * @return false when another POST is being read (the protocol allows one at a time, and the namespaces take
     *         one packet at a time)
     */
    boolean beginPost() {
        return posting.compareAndSet(false, true);
    }

    void endPost() {
        posting.set(false);
    }

    boolean isClosed() {
        return closed;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** The client sent something below the packet level (a poll, a WebSocket frame). */
    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    Namespaces namespaces() {
        return namespaces;
    }

    String sid() {
        return sid;
    }
}
