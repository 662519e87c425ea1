package dev.switchboard.server.transport.gate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * An accepted connection before and while it is served: it tells HTTP/2 from HTTP/1.1 itself (Helidon does that
 * only when it has several selectors, and without a deadline), then hands the socket to the protocol's own
 * connection. Its {@link Admission} closes it when a request head does not complete in time.
 */
final class GatedConnection implements ServerConnection {
    /** The HTTP/2 client preface (RFC 9113 3.4): a connection that starts otherwise speaks HTTP/1.1. */
    private static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ConnectionContext ctx;
    private final ServerConnectionSelector http1;
    private final ServerConnectionSelector http2;
    private final long acceptedNanos = System.nanoTime();
    private Admission admission;
    private volatile ServerConnection delegate;
    private volatile Thread thread;
    private volatile boolean closed;

    GatedConnection(ConnectionContext ctx, ServerConnectionSelector http1, ServerConnectionSelector http2) {
        this.ctx = new ReadingContext(ctx);
        this.http1 = http1;
        this.http2 = http2;
    }

    /** Set once, before {@link #handle}. */
    void admission(Admission admission) {
        this.admission = admission;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        thread = Thread.currentThread();
        admission.started();
        try {
            ServerConnectionSelector protocol = identify();
            if (protocol == null || closed) {
                return;
            }
            ServerConnection served = protocol.connection(ctx);
            delegate = served;
            served.handle(limit);
        } finally {
            admission.ended();
        }
    }

    /**
     * @return the selector of the connection's protocol; null when it closed before saying
     */
    private ServerConnectionSelector identify() {
        HelidonSocket socket = ctx.serverSocket();
        if (socket.protocolNegotiated()) {
            return "h2".equals(socket.protocol()) ? http2 : http1;    // TLS with ALPN
        }
        DataReader reader = ctx.dataReader();
        try {
            while (true) {
                reader.ensureAvailable();
                int available = reader.available();
                BufferData start = reader.getBuffer(Math.min(available, HTTP2_PREFACE.length));
                for (int i = 0; i < start.available(); i++) {
                    if (start.read() != HTTP2_PREFACE[i]) {
                        return http1;
                    }
                }
                if (available >= HTTP2_PREFACE.length) {
                    return http2;
                }
                reader.getBuffer(available + 1);     // the rest of a possible preface: read more
            }
        } catch (CloseConnectionException e) {
            return null;    // closed (or timed out) before a single request line
        }
    }

    @Override
    public Duration idleTime() {
        ServerConnection served = delegate;
        return served == null ? Duration.ofNanos(System.nanoTime() - acceptedNanos) : served.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
        closed = true;
        ServerConnection served = delegate;
        if (served != null) {
            served.close(interrupt);
        } else if (thread != null) {
            thread.interrupt();     // still waiting for the first bytes
        }
    }
}
