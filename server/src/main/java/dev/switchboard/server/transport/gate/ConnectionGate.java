package dev.switchboard.server.transport.gate;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

import dev.switchboard.server.observe.ThrottledLog;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The one connection selector of the server's listener: every accepted socket comes here first, before a byte is
 * read.
 * <p>
 * Helidon 4.2 reads a connection's first bytes to choose between its selectors with no deadline, keeps no account
 * of a connection until that choice is made, and has no per-address limit: a client could hold sockets open with
 * half a request, or none, until the process ran out of file descriptors. Given a single selector, Helidon hands it
 * the connection at once; this one then applies {@code limits.pending-connections-per-address} and
 * {@code limits.request-timeout} ({@link Admission}), tells HTTP/2 from HTTP/1.1 itself, and serves each with a
 * selector built here: HTTP/1.1 with the server's upgrades (WebSocket, and h2c into the same guarded HTTP/2), and
 * HTTP/2 with the gRPC framing and size guards. Every route to gRPC (prior knowledge, h2c upgrade, TLS with ALPN)
 * therefore goes through the same HTTP/2 selector.
 */
public final class ConnectionGate implements ServerConnectionSelector {
    private static final System.Logger LOG = System.getLogger("switchboard.gate");

    private final PendingConnections pending;
    private final ScheduledExecutorService timers;
    private final long requestTimeoutNanos;
    private final ServerConnectionSelector http1;
    private final ServerConnectionSelector http2;
    private final ThrottledLog refusals = new ThrottledLog(LOG, WARNING, Duration.ofSeconds(10));

    private ConnectionGate(Builder builder) {
        this.pending = new PendingConnections(builder.pendingPerAddress);
        this.timers = builder.timers;
        this.requestTimeoutNanos = builder.requestTimeout.toNanos();
        this.http2 = builder.http2;
        // The only listeners: Helidon 4.2 joins several into one that forwards their data events but drops
        // prologue, headers and status (Http1ConnectionListenerUtil.ListFrameListener), so the logging listeners
        // Helidon adds by default would silence these.
        Http1Config http1Config = Http1Config.builder()
                .from(builder.http1Config)
                .receiveLog(false)
                .sendLog(false)
                .receiveListeners(List.of(new RequestProgress(false)))
                .sendListeners(List.of(new RequestProgress(true)))
                .build();
        var http1 = Http1ConnectionSelector.builder().config(http1Config);
        builder.upgraders.forEach(http1::addUpgrader);
        this.http1 = http1.build();
    }

    /**
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        return Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return Set.of("h2", "http/1.1");
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.remotePeer().address()).getAddress();
        if (!pending.admit(address)) {
            refusals.log(() -> "Refused a connection from " + address.getHostAddress() + ": it has "
                    + pending.maxPerAddress() + " connections without a request or session already "
                    + "(limits.pending-connections-per-address)");
            return new Refused();
        }
        GatedConnection connection = new GatedConnection(ctx, http1, http2);
        connection.admission(new Admission(pending, address, timers, requestTimeoutNanos,
                                           () -> connection.close(true)));
        return connection;
    }

    /**
     * @return connections that have not proven themselves yet (no complete request, session or stream), over all
     *         addresses
     */
    public int pending() {
        return pending.total();
    }

    /** A connection over its address's limit: closed at once (Helidon closes the socket when handle returns). */
    private static final class Refused implements ServerConnection {
        @Override
        public void handle(Limit limit) {
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
        }
    }

    /**
     * Tells a connection's admission where its HTTP/1.1 requests are: a complete head disarms the deadline and,
     * unless it asks for an upgrade (which settles on its own terms), settles the connection; a response sent
     * arms the deadline for the next request.
     */
    private record RequestProgress(boolean sending) implements Http1ConnectionListener {
        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            if (!sending) {
                Admission.current().ifPresent(admission -> {
                    admission.requestReceived();
                    if (!headers.contains(io.helidon.http.HeaderNames.UPGRADE)) {
                        admission.settle();
                    }
                });
            }
        }

        @Override
        public void status(ConnectionContext ctx, Status status) {
            if (sending) {
                Admission.current().ifPresent(Admission::responded);
            }
        }
    }

    /** The parts of a gate. */
    public static final class Builder {
        private int pendingPerAddress = 64;
        private Duration requestTimeout = Duration.ofSeconds(5);
        private ScheduledExecutorService timers;
        private Http1Config http1Config = Http1Config.create();
        private ServerConnectionSelector http2;
        private final java.util.List<Http1Upgrader> upgraders = new java.util.ArrayList<>();

        private Builder() {
        }

        /**
         * @param max connections per remote address without a request or session yet
         * @return this builder
         */
        public Builder pendingPerAddress(int max) {
            this.pendingPerAddress = max;
            return this;
        }

        /**
         * @param timeout how long a connection has for each request head (from connecting, or from its previous
         *                response)
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * @param timers where deadlines run; their tasks only interrupt a thread
         * @return this builder
         */
        public Builder timers(ScheduledExecutorService timers) {
            this.timers = timers;
            return this;
        }

        /**
         * @param config HTTP/1.1 settings ({@code server.protocols.http_1_1})
         * @return this builder
         */
        public Builder http1(Http1Config config) {
            this.http1Config = config;
            return this;
        }

        /**
         * @param upgrader an HTTP/1.1 upgrade the server offers (WebSocket, h2c)
         * @return this builder
         */
        public Builder addUpgrader(Http1Upgrader upgrader) {
            this.upgraders.add(upgrader);
            return this;
        }

        /**
         * @param selector the HTTP/2 selector (with gRPC)
         * @return this builder
         */
        public Builder http2(ServerConnectionSelector selector) {
            this.http2 = selector;
            return this;
        }

        /**
         * @return the gate
         */
        public ConnectionGate build() {
            java.util.Objects.requireNonNull(timers, "timers");
            java.util.Objects.requireNonNull(http2, "http2");
            return new ConnectionGate(this);
        }
    }
}
