package dev.switchboard.server.transport.grpc;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.config.Config;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.grpc.GrpcConfig;
import io.helidon.webserver.grpc.GrpcProtocolSelector;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.http2.Http2ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Serves HTTP/2 and gRPC, tells gRPC calls when their HTTP/2 connection ends, and when it last received
 * anything.
 * <p>
 * Helidon does not notify a gRPC call when its TCP connection dies without an HTTP/2 RST_STREAM or GOAWAY (a
 * killed process, a dropped network path): the call would look alive forever. This selector serves HTTP/2
 * connections exactly as Helidon's own one does, but marks each connection's thread; Helidon creates the stream
 * threads from it, so a call can find the thread of its connection and watch it end. It also notes the time of
 * every read from the socket: HTTP/2 frames of any kind, a client's keepalive PINGs included, which is what
 * the heartbeat needs to tell a quiet but live gRPC client from a dead one; and it sends the server's own
 * keepalive PINGs, which Helidon has no API for, so that even a client without keepalive answers. gRPC goes through
 * {@link AlignedGrpcSelector}, which works around Helidon's handling of split message prefixes.
 */
final class Http2ConnectionWatch implements ServerConnectionSelector {
    private static final InheritableThreadLocal<Activity> CONNECTION = new InheritableThreadLocal<>();
    /**
     * An HTTP/2 PING frame (RFC 9113 6.7): length 8, type 0x6, no flags, stream 0, and 8 bytes of opaque data. The
     * peer must answer it with a PING ACK, which Helidon reads and ignores, and which counts as activity here.
     */
    private static final byte[] PING_FRAME = {0, 0, 8, 0x6, 0, 0, 0, 0, 0, 's', 'w', 'i', 't', 'c', 'h', 'b', 'd'};

    private final ServerConnectionSelector http2;

    private Http2ConnectionWatch(ServerConnectionSelector http2) {
        this.http2 = http2;
    }

    /**
     * An HTTP/2 selector with gRPC, configured as Helidon would from {@code server.protocols}.
     *
     * @param serverConfig    the {@code server} configuration node
     * @param maxMessageBytes {@code limits.max-message-bytes}
     * @return the selector, to be placed before Helidon's discovered ones
     */
    static Http2ConnectionWatch create(Config serverConfig, int maxMessageBytes) {
        Config protocols = serverConfig.get("protocols");
        return new Http2ConnectionWatch(Http2ConnectionSelector.builder()
                                                .http2Config(Http2Config.create(protocols.get("http_2")))
                                                .addSubProtocolSelector(new AlignedGrpcSelector(
                                                        GrpcProtocolSelector.create(
                                                                GrpcConfig.create(protocols.get("grpc"))),
                                                        maxMessageBytes))
                                                .build());
    }

    /**
     * The HTTP/2 connection the calling stream thread belongs to.
     *
     * @return its activity; empty outside a connection served by this selector
     */
    static Optional<Activity> connection() {
        return Optional.ofNullable(CONNECTION.get());
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http2.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData data) {
        return http2.supports(data);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http2.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        Activity activity = new Activity(ctx.dataWriter());
        return new MarkedConnection(http2.connection(new CountingContext(ctx, activity)), activity);
    }

    /**
     * One HTTP/2 connection: the thread serving it, and when it last read from its socket.
     */
    static final class Activity {
        private final DataWriter writer;
        private volatile Thread thread;
        private volatile long lastReadNanos = System.nanoTime();

        private Activity(DataWriter writer) {
            this.writer = writer;
        }

        /**
         * Sends a keepalive PING on the connection. Helidon writes every frame with one {@code writeNow}, and
         * the socket writes each call whole, so this frame cannot land inside one of Helidon's.
         */
        void ping() {
            writer.writeNow(BufferData.create(PING_FRAME));
        }

        /**
         * @return the thread serving the connection
         */
        Thread thread() {
            return thread;
        }

        /**
         * @return when bytes last arrived, as a {@link System#nanoTime()} reading
         */
        long lastReadNanos() {
            return lastReadNanos;
        }
    }

    private record MarkedConnection(ServerConnection delegate, Activity activity) implements ServerConnection {
        @Override
        public void handle(Limit limit) throws InterruptedException {
            activity.thread = Thread.currentThread();
            CONNECTION.set(activity);
            try {
                delegate.handle(limit);
            } finally {
                CONNECTION.remove();
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }

    /**
     * The connection's context, with a reader that notes every chunk read from the socket. It hands on the
     * original reader's bytes unchanged, starting with whatever protocol detection had already buffered.
     */
    private static final class CountingContext implements ConnectionContext {
        private final ConnectionContext delegate;
        private final DataReader reader;

        CountingContext(ConnectionContext delegate, Activity activity) {
            this.delegate = delegate;
            DataReader socket = delegate.dataReader();
            this.reader = new DataReader(() -> {
                if (socket.available() == 0) {
                    socket.pullData();      // blocks for the next chunk; throws when the socket closed
                }
                activity.lastReadNanos = System.nanoTime();
                return socket.readBytes(socket.available());
            });
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public ListenerContext listenerContext() {
            return delegate.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return delegate.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return delegate.dataWriter();
        }

        @Override
        public Router router() {
            return delegate.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return delegate.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return delegate.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return delegate.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return delegate.localPeer();
        }

        @Override
        public boolean isSecure() {
            return delegate.isSecure();
        }

        @Override
        public String socketId() {
            return delegate.socketId();
        }

        @Override
        public String childSocketId() {
            return delegate.childSocketId();
        }
    }
}
