package dev.switchboard.server.transport.websocket;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
    /** How long the reader waits, after the server's close frame, for the client to close its side. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How much it reads and discards meanwhile, at most. */
    private static final long LINGER_BYTES = 1 << 20;
    private final ConnectionContext ctx;
    private final WebSocketHandler handler;
    private final FrameReader frames;
    private volatile Thread reader;
    private volatile boolean closing;
    private volatile boolean closeSent;
    /** Set once the reader has returned: a linger deadline that fires later interrupts nothing. */
    private volatile boolean done;
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
                    return;
                }
                lastReadNanos = System.nanoTime();
                if (!frames.feed(buffer.bytes(), read)) {
                    break;
                }
            }
            // ended on this side (a close frame sent or coming, a frame too large or malformed): wait for the client
            lingerUntil(Thread.currentThread());
            linger(buffer);
        } catch (UncheckedIOException | DataReader.InsufficientDataAvailableException e) {
            // reset, or closed under us (an abort, or the linger's deadline): the connection is gone either way
        } finally {
            done = true;
            handler.closed();
        }
    }

    /**
     * After the server's close frame: reads and discards what the client still sends (its own close frame, the rest
     * of a frame too large to read) until it closes its side, at most {@link #LINGER_BYTES} or until the deadline
     * ({@link #lingerUntil}). Closing a socket with unread input resets the connection, and the client
     * may then never read the close frame that says why (1009 for a message too large, say).
     */
    private void linger(ReadBuffer buffer) {
        long left = LINGER_BYTES;
        while (left > 0) {
            int read = buffer.readFrom(ctx.serverSocket());
            if (read < 0) {
                return;
            }
            left -= read;
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
        handler.tooLarge();     // the core closes with 1009; the reader stops feeding frames and lingers for it
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
    public void closeAfterCloseFrame() {
        closeSent = true;
        closing = true;     // the reader finishes the read under way, then lingers
        Thread current = reader;
        if (current != null && current != Thread.currentThread()) {
            lingerUntil(current);
        }
    }

    /** Interrupts the reader (which closes the socket) if it is still reading {@link #LINGER_NANOS} from now. */
    private void lingerUntil(Thread reading) {
        Thread.ofVirtual().name("switchboard-ws-linger").start(() -> {
            LockSupport.parkNanos(LINGER_NANOS);
            if (!done) {
                reading.interrupt();    // the client never closed its side: close the socket now
            }
        });
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
