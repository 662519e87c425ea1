package dev.switchboard.server.transport.socketio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.switchboard.server.transport.websocket.WebSocketChannel;

/**
 * One Engine.IO (protocol v4) connection: the packets its client sends (over HTTP long-polling, or a WebSocket
 * from the start or after the upgrade), its pings and its lifetime, and the Socket.IO namespaces it carries
 * ({@link Namespaces}). What it sends goes through its {@link EngineOutput}.
 */
final class EngineConnection {
    private final String sid;
    private final SocketIoSettings settings;
    private final Namespaces namespaces;
    private final EngineOutput output;
    private final Runnable onClosed;
    private final long openedNanos = System.nanoTime();
    private final AtomicBoolean pingInFlight = new AtomicBoolean();
    private final AtomicBoolean admitted = new AtomicBoolean();
    private final AtomicBoolean posting = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long lastHeardNanos = System.nanoTime();

    EngineConnection(String sid, SocketIoSettings settings, Namespaces.Factory namespaces, Runnable onClosed) {
        this.sid = sid;
        this.settings = settings;
        this.output = new EngineOutput(settings.pingInterval().toNanos() + settings.pingTimeout().toNanos() / 2);
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
        output.useSocket(channel);
    }

    /**
     * @param batch packets a namespace's writer encoded
     * @throws IOException when the connection is closed
     * @see EngineOutput#send
     */
    void send(PacketBuffer batch) throws IOException {
        output.send(batch);
    }

    /**
     * @return the packets for a long-polling GET's response
     * @see EngineOutput#poll
     */
    List<String> poll() throws InterruptedException {
        return output.poll();
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
            case '2' -> reply("3" + packet.substring(1));    // a client's ping (an Engine.IO v3 habit)
            case '3', '6' -> {
                // a pong, or a noop: counted as a sign of life above
            }
            case '4' -> namespaces.receive(packet.substring(1));
            default -> close("unknown Engine.IO packet type '" + packet.charAt(0) + "'");
        }
    }

    /**
     * A packet from the client's WebSocket, as the frame holds it: an EVENT goes to the namespaces without a string
     * of the packet (the relay's hot path), anything else as text.
     */
    void receive(byte[] utf8, int offset, int length) {
        if (length > 2 && utf8[offset] == '4' && utf8[offset + 1] == '2') {
            lastHeardNanos = System.nanoTime();
            namespaces.receiveEvent(utf8, offset + 1, length - 1);
        } else {
            receive(new String(utf8, offset, length, StandardCharsets.UTF_8));
        }
    }

    /** {@code 2probe} on the socket that is about to replace polling. */
    void probe(WebSocketChannel candidate) {
        heard();
        try {
            output.probe(candidate);
        } catch (IOException e) {
            candidate.close();      // the probe failed: polling goes on
        }
    }

    /**
     * {@code 5} on the probed socket: the upgrade.
     *
     * @return false when it is refused (that socket was not probed)
     */
    boolean upgrade(WebSocketChannel candidate) {
        try {
            return output.upgrade(candidate);
        } catch (IOException e) {
            close("the upgraded socket broke");
            return false;
        }
    }

    /** Sends a protocol answer from the reader's thread, which may block on its own socket. */
    void reply(String packet) {
        try {
            output.send(List.of(packet));
        } catch (IOException e) {
            close("write failed");
        }
    }

    /**
     * The shared timer's tick, every ping interval: decides, and leaves the socket work (a ping, a close) to a
     * virtual thread, since the timer thread must never wait on a client.
     */
    void tick() {
        if (closed.get()) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastHeardNanos > settings.pingInterval().toNanos() + settings.pingTimeout().toNanos()) {
            Thread.startVirtualThread(() -> close("ping timeout"));
        } else if (!namespaces.anyOpen() && now - openedNanos > settings.connectTimeout().toNanos()) {
            Thread.startVirtualThread(() -> close("no namespace connected within the connect timeout"));
        } else if (pingInFlight.compareAndSet(false, true)) {
            Thread.startVirtualThread(() -> {
                try {
                    reply("2");
                } finally {
                    pingInFlight.set(false);
                }
            });
        }
    }

    /**
     * Ends the connection: its socket or waiting poll is let go, and every namespace's connection closes.
     * Idempotent; any thread but the timer's.
     *
     * @param reason for logs
     */
    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        output.close().ifPresent(WebSocketChannel::close);
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
        return closed.get();
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
