package dev.switchboard.server.transport.websocket;

import java.util.Optional;

import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.server.transport.PeerLink;
import dev.switchboard.server.transport.gate.Admission;
import dev.switchboard.signaling.v1.ServerMessage;
import io.helidon.websocket.WsCloseCodes;

/**
 * Writes server messages to one signaling WebSocket, as JSON text or protobuf binary frames (whichever form the
 * peer used last), a batch at a time: the outbox's writer encodes each message into one buffer and
 * {@link #flush} sends them all with one socket write.
 */
final class WebSocketPeerLink implements PeerLink {
    private static final byte[] PING = Frames.control(Frames.PING, new byte[0], 0, 0);

    private final WebSocketChannel channel;
    private final Optional<String> bearerToken;
    private final Optional<Admission> admission;
    /** Written by the writer thread only. */
    private final FrameBuffer out = new FrameBuffer();
    private volatile boolean binary;

    /**
     * @param channel     the connection's writing side
     * @param bearerToken the credential of the upgrade request, if any
     * @param admission   the connection's place among its address's pending connections, if it has one
     */
    WebSocketPeerLink(WebSocketChannel channel, Optional<String> bearerToken, Optional<Admission> admission) {
        this.channel = channel;
        this.bearerToken = bearerToken;
        this.admission = admission;
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

    @Override
    public void write(ServerMessage message) throws Exception {
        if (binary) {
            out.protobuf(message);
        } else {
            out.json(message);
        }
    }

    @Override
    public void flush() {
        if (!out.isEmpty()) {
            channel.send(out.array(), out.length());
            out.clear();
        }
    }

    @Override
    public void keepalive() {
        out.frame(PING);
    }

    @Override
    public long lastHeardNanos() {
        return channel.lastReadNanos();
    }

    @Override
    public void sessionOpened() {
        admission.ifPresent(Admission::settle);
    }

    @Override
    public void close(CloseCause cause) {
        try {
            out.frame(Frames.close(closeCode(cause), closeReason(cause)));
            flush();
        } catch (RuntimeException | Error e) {
            channel.close();    // the close frame could not be written: nothing to wait for
            throw e;
        }
        channel.closeAfterCloseFrame();
    }

    @Override
    public void abort(CloseCause cause) {
        channel.close();
    }

    /** Each WebSocket has a reader thread of its own. */
    @Override
    public boolean readerMayWait() {
        return true;
    }

    @Override
    public String transport() {
        return WebSocketTransport.NAME;
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
