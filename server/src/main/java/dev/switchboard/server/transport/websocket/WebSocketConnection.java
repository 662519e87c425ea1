package dev.switchboard.server.transport.websocket;

import java.io.UncheckedIOException;
import java.time.Duration;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.websocket.WsCloseCodes;

/**
 * One upgraded WebSocket connection, served without Helidon's {@code WsConnection}: its thread reads the socket
 * directly and parses frames in place ({@link FrameReader}), and writes leave as whole batches of frames, one
 * socket write each ({@link FrameBuffer}).
 * <p>
 * Helidon 4.2's WebSocket connection writes every frame with its own socket write (no setting coalesces them),
 * unmasks payloads byte by byte through virtual calls, copies each read chunk again, decodes every text frame into
 * a String, and counts every frame on one semaphore shared by all connections. On the relay path, where each
 * signal is a frame in and (with its ack) frames out, that was most of the transport's cost.
 * {@code WebSocketFramingTest} pins what this class must do that Helidon's did not.
 */
final class WebSocketConnection implements ServerConnection, WebSocketChannel, FrameReader.Listener {
    private final ConnectionContext ctx;
    private final WebSocketHandler handler;
    private final FrameReader frames;
    private volatile Thread reader;
    private volatile boolean closing;
    private volatile boolean closeSent;
    private volatile long lastReadNanos = System.nanoTime();

    WebSocketConnection(ConnectionContext ctx, WebSocketHandler handler, int maxMessageBytes) {
        this.ctx = ctx;
        this.handler = handler;
        this.frames = new FrameReader(maxMessageBytes, this);
    }

    @Override
    public void handle(Limit limit) {
        reader = Thread.currentThread();
        handler.opened(this);
        try {
            DataReader buffered = ctx.dataReader();
            if (buffered.available() > 0) {
                // what the upgrade request's reader had read already
                byte[] early = buffered.readBytes(buffered.available());
                lastReadNanos = System.nanoTime();
                if (!frames.feed(early, early.length)) {
                    return;
                }
            }
            ReadBuffer buffer = new ReadBuffer();
            while (!closing) {
                int read = buffer.readFrom(ctx.serverSocket());
                if (read < 0) {
                    break;
                }
                lastReadNanos = System.nanoTime();
                if (!frames.feed(buffer.bytes(), read)) {
                    break;
                }
            }
        } catch (UncheckedIOException | DataReader.InsufficientDataAvailableException e) {
            // reset, or closed under us: the connection is gone either way
        } finally {
            handler.closed();
        }
    }

    @Override
    public void message(byte[] bytes, int offset, int length, boolean binary) {
        handler.message(bytes, offset, length, binary);
    }

    @Override
    public void control(int opcode, byte[] bytes, int offset, int length) {
        switch (opcode) {
            case Frames.PING -> send(Frames.control(Frames.PONG, bytes, offset, length));
            case Frames.CLOSE -> {
                if (!closeSent) {
                    closeSent = true;
                    send(Frames.control(Frames.CLOSE, bytes, offset, Math.min(length, 2)));   // echo the code
                }
                closing = true;
            }
            default -> {
                // a pong: counted as a sign of life when it was read
            }
        }
    }

    @Override
    public void tooLarge() {
        handler.tooLarge();
    }

    @Override
    public void protocolError(String why) {
        closeSent = true;
        send(Frames.close(WsCloseCodes.PROTOCOL_ERROR, why));
        closing = true;
    }

    @Override
    public void send(byte[] frames, int length) {
        ctx.dataWriter().writeNow(BufferData.create(frames, 0, length));
    }

    private void send(byte[] frame) {
        try {
            send(frame, frame.length);
        } catch (UncheckedIOException e) {
            closing = true;
        }
    }

    @Override
    public void close() {
        closeSent = true;
        stopReading();
    }

    @Override
    public long lastReadNanos() {
        return lastReadNanos;
    }

    @Override
    public Duration idleTime() {
        return Duration.ofNanos(System.nanoTime() - lastReadNanos);
    }

    @Override
    public void close(boolean interrupt) {
        stopReading();
    }

    /** Ends the reader; interrupting a virtual thread blocked on a socket closes the socket. */
    private void stopReading() {
        closing = true;
        Thread current = reader;
        if (current != null && current != Thread.currentThread()) {
            current.interrupt();
        }
    }
}
