package dev.switchboard.server.transport.grpc;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.config.Config;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.grpc.GrpcConfig;
import io.helidon.webserver.grpc.GrpcProtocolSelector;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.http2.Http2ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Serves HTTP/2 and gRPC, and tells gRPC calls when their HTTP/2 connection ends.
 * <p>
 * Helidon does not notify a gRPC call when its TCP connection dies without an HTTP/2 RST_STREAM or GOAWAY (a
 * killed process, a dropped network path): the call would look alive forever. This selector serves HTTP/2
 * connections exactly as Helidon's own one does, but marks each connection's thread; Helidon creates the stream
 * threads from it, so a call can find the thread of its connection and watch it end. gRPC goes through
 * {@link AlignedGrpcSelector}, which works around Helidon's handling of split message prefixes.
 */
final class Http2ConnectionWatch implements ServerConnectionSelector {
    private static final InheritableThreadLocal<Thread> CONNECTION_THREAD = new InheritableThreadLocal<>();

    private final ServerConnectionSelector http2;

    private Http2ConnectionWatch(ServerConnectionSelector http2) {
        this.http2 = http2;
    }

    /**
     * An HTTP/2 selector with gRPC, configured as Helidon would from {@code server.protocols}.
     *
     * @param serverConfig the {@code server} configuration node
     * @return the selector, to be placed before Helidon's discovered ones
     */
    static Http2ConnectionWatch create(Config serverConfig) {
        Config protocols = serverConfig.get("protocols");
        return new Http2ConnectionWatch(Http2ConnectionSelector.builder()
                                                .http2Config(Http2Config.create(protocols.get("http_2")))
                                                .addSubProtocolSelector(new AlignedGrpcSelector(
                                                        GrpcProtocolSelector.create(
                                                                GrpcConfig.create(protocols.get("grpc")))))
                                                .build());
    }

    /**
     * The thread serving the HTTP/2 connection the calling stream thread belongs to.
     *
     * @return the connection thread; empty outside a connection served by this selector
     */
    static Optional<Thread> connectionThread() {
        return Optional.ofNullable(CONNECTION_THREAD.get());
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
        return new MarkedConnection(http2.connection(ctx));
    }

    private record MarkedConnection(ServerConnection delegate) implements ServerConnection {
        @Override
        public void handle(Limit limit) throws InterruptedException {
            CONNECTION_THREAD.set(Thread.currentThread());
            try {
                delegate.handle(limit);
            } finally {
                CONNECTION_THREAD.remove();
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
}
