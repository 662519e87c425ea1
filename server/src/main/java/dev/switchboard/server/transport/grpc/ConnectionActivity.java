package dev.switchboard.server.transport.grpc;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.switchboard.server.transport.gate.ReadingContext;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataWriter;
import io.helidon.http.http2.Http2ErrorCode;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;

/**
 * What the gRPC transport knows of one HTTP/2 connection: when it last read from its socket (the gate's reader
 * notes it), the calls to end when it ends, how it was abused (malformed frames, rapid resets), and how to ping
 * it or send it away.
 */
final class ConnectionActivity {
    /**
     * An HTTP/2 PING frame (RFC 9113 6.7): length 8, type 0x6, no flags, stream 0, and 8 bytes of opaque data. The
     * peer must answer it with a PING ACK, which Helidon reads and ignores, and which counts as activity here.
     */
    private static final byte[] PING_FRAME = {0, 0, 8, 0x6, 0, 0, 0, 0, 0, 's', 'w', 'i', 't', 'c', 'h', 'b', 'd'};

    private final DataWriter writer;
    private final ReadingContext reads;
    private final MalformedFrames malformed = new MalformedFrames();
    private final RapidResets rapidResets = new RapidResets();
    private volatile ServerConnection connection;
    private final Set<Runnable> onEnd = ConcurrentHashMap.newKeySet();
    private volatile boolean ended;

    /**
     * @param ctx the connection's context, which the gate made a {@link ReadingContext}
     */
    ConnectionActivity(ConnectionContext ctx) {
        this.writer = ctx.dataWriter();
        this.reads = (ReadingContext) ctx;
    }

    /**
     * Runs a hook when the connection ends (at once, if it has ended already).
     *
     * @param hook what to do then; must not block
     * @return removes the hook again, for a call that ended first
     */
    Runnable whenEnded(Runnable hook) {
        onEnd.add(hook);
        if (ended && onEnd.remove(hook)) {
            hook.run();
        }
        return () -> onEnd.remove(hook);
    }

    /** The connection's thread starts serving it. */
    void serving(ServerConnection served) {
        connection = served;
    }

    /** The connection's thread is done with it: every call still on it ends. */
    void end() {
        ended = true;
        for (Runnable hook : onEnd) {
            if (onEnd.remove(hook)) {
                hook.run();
            }
        }
    }

    /**
     * Sends a keepalive PING on the connection. Helidon writes every frame with one {@code writeNow}, and
     * the socket writes each call whole, so this frame cannot land inside one of Helidon's.
     */
    void ping() {
        writer.writeNow(BufferData.create(PING_FRAME));
    }

    /**
     * @return the connection's count of streams the client reset before they carried anything
     */
    RapidResets rapidResets() {
        return rapidResets;
    }

    /**
     * Tells the client the connection is over (GOAWAY) and closes it.
     *
     * @param code why, as the client is told
     * @param why  the GOAWAY's debug data
     */
    void goAway(Http2ErrorCode code, String why) {
        byte[] debug = why.getBytes(StandardCharsets.US_ASCII);
        int length = 8 + debug.length;
        byte[] frame = new byte[9 + length];
        frame[0] = (byte) (length >>> 16);
        frame[1] = (byte) (length >>> 8);
        frame[2] = (byte) length;
        frame[3] = 0x7;                              // GOAWAY, no flags, stream 0, last stream 0
        int error = code.code();
        for (int i = 0; i < 4; i++) {
            frame[13 + i] = (byte) (error >>> (24 - 8 * i));
        }
        System.arraycopy(debug, 0, frame, 17, debug.length);
        writer.writeNow(BufferData.create(frame));   // one write, like the PINGs: it cannot split another frame
        ServerConnection served = connection;
        if (served != null) {
            served.close(true);
        }
    }

    /**
     * @return the connection's record of frames its streams were reset for
     */
    MalformedFrames malformed() {
        return malformed;
    }

    /**
     * @return when bytes last arrived, as a {@link System#nanoTime()} reading
     */
    long lastReadNanos() {
        return reads.lastReadNanos();
    }
}
