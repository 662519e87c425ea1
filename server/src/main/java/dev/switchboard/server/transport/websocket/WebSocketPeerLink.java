package dev.switchboard.server.transport.websocket;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.session.CloseCause;
import dev.switchboard.server.session.PeerLink;
import dev.switchboard.signaling.v1.ServerMessage;
import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsSession;

/**
 * Writes server messages to one WebSocket, as JSON text or protobuf binary frames: whichever form the peer
 * used last.
 */
final class WebSocketPeerLink implements PeerLink {
    private final WsSession session;
    private final Thread reader;
    private final FrameCodec codec;
    private final Optional<String> bearerToken;
    // Helidon's WsSession shares one send buffer between calls, so every frame we send goes through this lock.
    private final ReentrantLock sendLock = new ReentrantLock();
    private volatile boolean binary;
    private volatile long lastControlFrameNanos = System.nanoTime();

    /**
     * @param session the WebSocket
     * @param reader  the connection's reader thread (the one that called onOpen)
     * @param codec   JSON/protobuf codec
     * @param bearerToken the credential of the upgrade request, if any
     */
    WebSocketPeerLink(WsSession session, Thread reader, FrameCodec codec, Optional<String> bearerToken) {
        this.session = session;
        this.reader = reader;
        this.codec = codec;
        this.bearerToken = bearerToken;
    }

    @Override
    public Optional<String> bearerToken() {
        return bearerToken;
    }

    /**
     * Records the form of the frame the peer sent last; replies follow it.
     *
     * @param binary true for protobuf binary frames, false for JSON text frames
     */
    void peerUsed(boolean binary) {
        this.binary = binary;
    }

    /**
     * A ping or pong frame arrived: the peer is alive even if it sends no messages.
     */
    void controlFrameReceived() {
        lastControlFrameNanos = System.nanoTime();
    }

    /**
     * Answers a ping frame, as RFC 6455 requires (Helidon leaves it to the listener).
     *
     * @param payload the ping's payload
     */
    void pong(BufferData payload) {
        send(() -> session.pong(payload));
    }

    @Override
    public void keepalive() {
        send(() -> session.ping(BufferData.empty()));
    }

    @Override
    public long lastHeardNanos() {
        return lastControlFrameNanos;
    }

    @Override
    public void write(ServerMessage message) {
        if (binary) {
            BufferData frame = BufferData.create(message.toByteArray());
            send(() -> session.send(frame, true));
        } else {
            String frame = codec.toJson(message);
            send(() -> session.send(frame, true));
        }
    }

    @Override
    public void close(CloseCause cause) {
        send(() -> session.close(closeCode(cause), closeReason(cause)));
        stopReading(false);
    }

    @Override
    public void abort(CloseCause cause) {
        stopReading(true);
    }

    @Override
    public String transport() {
        return "websocket";
    }

    private void send(Runnable frame) {
        sendLock.lock();
        try {
            frame.run();
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Ends the connection by stopping its reader, which makes Helidon close the socket. The reader itself (e.g.
     * inside onClose) needs no interrupt: its loop ends on its own.
     */
    private void stopReading(boolean interrupt) {
        if (Thread.currentThread() != reader && session instanceof ServerConnection connection) {
            connection.close(interrupt);
        }
    }

    private static int closeCode(CloseCause cause) {
        return switch (cause) {
            case NORMAL, REPLACED, RESUMED_ELSEWHERE -> WsCloseCodes.NORMAL_CLOSE;
            case SLOW_CONSUMER, HELLO_TIMEOUT, REMOVED -> WsCloseCodes.VIOLATED_POLICY;
            case SHUTDOWN, HEARTBEAT_TIMEOUT -> WsCloseCodes.GOING_AWAY;
            case SERVER_FULL -> WsCloseCodes.TRY_AGAIN_LATER;
            case MESSAGE_TOO_LARGE -> WsCloseCodes.TOO_BIG;
        };
    }

    private static String closeReason(CloseCause cause) {
        return switch (cause) {
            case NORMAL -> "normal";
            case REPLACED -> "session replaced";
            case SLOW_CONSUMER -> "slow consumer";
            case SHUTDOWN -> "server shutting down";
            case HEARTBEAT_TIMEOUT -> "heartbeat timeout";
            case RESUMED_ELSEWHERE -> "session resumed on another connection";
            case HELLO_TIMEOUT -> "no hello";
            case SERVER_FULL -> "server full";
            case MESSAGE_TOO_LARGE -> "message too large";
            case REMOVED -> "removed by an operator";
        };
    }
}
