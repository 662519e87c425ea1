package dev.switchboard.server.transport.grpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.config.Config;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.http.http2.Http2Headers;
import io.helidon.http.http2.Http2Settings;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.grpc.GrpcConfig;
import io.helidon.webserver.grpc.GrpcProtocolSelector;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.http2.Http2Config;
import io.helidon.webserver.http2.Http2Connection;
import io.helidon.webserver.http2.Http2ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * Serves HTTP/2 and gRPC, tells gRPC calls when their HTTP/2 connection ends, and when it last received
 * anything.
 * <p>
 * Helidon does not notify a gRPC call when its TCP connection dies without an HTTP/2 RST_STREAM or GOAWAY (a
 * killed process, a dropped network path): the call would look alive forever. This selector serves HTTP/2
 * connections exactly as Helidon's own one does, and runs each call's end hook when the connection's thread is
 * done with it ({@link ConnectionActivity#whenEnded}): the call ends, and the stream thread is freed from waiting on a dead
 * socket. A call that ends first removes its hook, so an ended stream holds nothing of the session. It also notes
 * the time of every read from the socket: HTTP/2 frames of any kind, a client's keepalive PINGs included, which is
 * what the heartbeat needs to tell a quiet but live gRPC client from a dead one; and it sends the server's own
 * keepalive PINGs, which Helidon has no API for, so that even a client without keepalive answers. gRPC goes
 * through {@link AlignedGrpcSelector}, which works around Helidon's handling of split message prefixes and guards
 * message sizes.
 * <p>
 * The same connection serves the h2c upgrade from HTTP/1.1 ({@link #upgrader}): Helidon's own upgrader would
 * build an HTTP/2 connection without any of the above.
 */
final class Http2ConnectionWatch implements ServerConnectionSelector {
    private static final InheritableThreadLocal<ConnectionActivity> CONNECTION = new InheritableThreadLocal<>();
    private static final byte[] SWITCHING_PROTOCOLS = ("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
            + "Upgrade: h2c\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final HeaderName HTTP2_SETTINGS = HeaderNames.create("HTTP2-Settings");

    private final ServerConnectionSelector http2;

    private Http2ConnectionWatch(ServerConnectionSelector http2) {
        this.http2 = http2;
    }

    /**
     * An HTTP/2 selector with gRPC, configured as Helidon would from {@code server.protocols}.
     *
     * @param serverConfig    the {@code server} configuration node
     * @param maxMessageBytes {@code limits.max-message-bytes}
     * @return the selector
     */
    static Http2ConnectionWatch create(Config serverConfig, int maxMessageBytes) {
        Config protocols = serverConfig.get("protocols");
        GrpcConfig grpc = GrpcConfig.create(protocols.get("grpc"));
        return new Http2ConnectionWatch(Http2ConnectionSelector.builder()
                                                .http2Config(Http2Config.create(protocols.get("http_2")))
                                                .addSubProtocolSelector(new AlignedGrpcSelector(
                                                        GrpcProtocolSelector.create(grpc), maxMessageBytes,
                                                        grpc.enableCompression()))
                                                .build());
    }

    /**
     * The h2c upgrade from HTTP/1.1 (RFC 7540 3.2) into a connection of this selector.
     *
     * @return the upgrader
     */
    Http1Upgrader upgrader() {
        return new Http1Upgrader() {
            @Override
            public String supportedProtocol() {
                return "h2c";
            }

            @Override
            public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
                return upgradeToHttp2(ctx, prologue, headers);
            }
        };
    }

    private ServerConnection upgradeToHttp2(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        Http2Settings clientSettings;
        try {
            clientSettings = Http2Settings.create(BufferData.create(
                    Base64.getUrlDecoder().decode(headers.first(HTTP2_SETTINGS).orElseThrow())));
        } catch (RuntimeException e) {
            return null;    // no (readable) HTTP2-Settings: not an h2c upgrade; answered as HTTP/1.1
        }
        ConnectionActivity activity = new ConnectionActivity(ctx);
        Http2Connection connection = (Http2Connection) http2.connection(ctx);
        connection.clientSettings(clientSettings);
        Http2Headers http2Headers = Http2Headers.create(headers);
        http2Headers.path(prologue.uriPath().rawPath());
        http2Headers.method(prologue.method());
        headers.remove(HeaderNames.HOST, host -> http2Headers.authority(host.get()));
        http2Headers.scheme("http");
        connection.upgradeConnectionData(HttpPrologue.create("HTTP/2.0", prologue.protocol(), "2.0",
                                                             prologue.method(), prologue.uriPath(), prologue.query(),
                                                             prologue.fragment()),
                                         http2Headers);
        connection.expectPreface();
        ctx.dataWriter().writeNow(BufferData.create(SWITCHING_PROTOCOLS));
        return new MarkedConnection(connection, activity);
    }

    /**
     * The HTTP/2 connection the calling stream thread belongs to.
     *
     * @return its activity; empty outside a connection served by this selector
     */
    static Optional<ConnectionActivity> connection() {
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
        return new MarkedConnection(http2.connection(ctx), new ConnectionActivity(ctx));
    }

    private record MarkedConnection(ServerConnection delegate, ConnectionActivity activity) implements ServerConnection {
        @Override
        public void handle(Limit limit) throws InterruptedException {
            activity.serving(delegate);
            CONNECTION.set(activity);
            try {
                delegate.handle(limit);
            } finally {
                CONNECTION.remove();
                activity.end();
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
