package dev.switchboard.server.transport.grpc;

import java.util.concurrent.atomic.AtomicReference;

import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.transport.Connection;
import dev.switchboard.server.transport.SignalingPort;
import dev.switchboard.server.transport.gate.Admission;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalingServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.helidon.config.Config;
import io.helidon.webserver.grpc.GrpcRouting;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * The gRPC transport: {@code SignalingService.Connect} streams feed the core, {@code IceService} serves ICE
 * server lists. Both share the web server's one port.
 */
public final class GrpcTransport {
    /** The transport's name, in logs and metric labels. */
    public static final String NAME = "grpc";

    private GrpcTransport() {
    }

    /**
     * @param core          the signaling core
     * @param iceServers    the ICE server source
     * @param authenticator who may ask for ICE servers
     * @return gRPC routing for both services, each reading the call's Bearer token
     */
    public static GrpcRouting.Builder routing(SignalingPort core, IceServerProvider iceServers,
                                              Authenticator authenticator) {
        BearerTokenInterceptor tokens = new BearerTokenInterceptor();
        return GrpcRouting.builder()
                .service(ServerInterceptors.intercept(signalingService(core), tokens))
                .service(ServerInterceptors.intercept(new GrpcIceService(iceServers, authenticator), tokens));
    }

    private static ServerServiceDefinition signalingService(SignalingPort core) {
        MethodDescriptor<InboundFrame, ServerMessage> connect = SignalingServiceGrpc.getConnectMethod()
                .toBuilder(new InboundFrame.Marshaller(), ProtoUtils.marshaller(ServerMessage.getDefaultInstance()))
                .build();
        return ServerServiceDefinition.builder(SignalingServiceGrpc.SERVICE_NAME)
                .addMethod(connect, ServerCalls.asyncBidiStreamingCall(responses -> connect(core, responses)))
                .build();
    }

    /**
     * The server's HTTP/2: the connection selector that lets calls notice their connection dying and bounds message
     * sizes, and the h2c upgrade from HTTP/1.1 into the same.
     *
     * @param serverConfig    the {@code server} configuration node
     * @param maxMessageBytes {@code limits.max-message-bytes}
     * @return both
     */
    public static Http2 http2(Config serverConfig, int maxMessageBytes) {
        Http2ConnectionWatch watch = Http2ConnectionWatch.create(serverConfig, maxMessageBytes);
        return new Http2(watch, watch.upgrader());
    }

    /**
     * The server's HTTP/2, every way in.
     *
     * @param selector    for connections that start as HTTP/2 (prior knowledge, TLS with ALPN)
     * @param h2cUpgrader for HTTP/1.1 connections that upgrade
     */
    public record Http2(ServerConnectionSelector selector, Http1Upgrader h2cUpgrader) {
    }

    private static StreamObserver<InboundFrame> connect(SignalingPort core, StreamObserver<ServerMessage> responses) {
        ServerCallStreamObserver<ServerMessage> call = (ServerCallStreamObserver<ServerMessage>) responses;
        ConnectionActivity http2 = Http2ConnectionWatch.connection().orElse(null);
        Admission.current().ifPresent(admission -> {
            admission.requestReceived();
            admission.settle();     // an HTTP/2 stream opened: the connection is a client's
        });
        GrpcPeerLink link = new GrpcPeerLink(call, http2, BearerTokenInterceptor.current());
        Connection connection = core.open(link);
        InboundCall inbound = new InboundCall(connection);
        // This runs on Helidon's thread for the stream. It stays parked, waiting for frames, when the client resets
        // the call (Helidon moves it to half-closed, not closed) or the connection dies without a RST_STREAM;
        // interrupting it then lets it end.
        Thread stream = Thread.currentThread();
        call.setOnCancelHandler(() -> {
            link.cancelledByClient();
            inbound.ended();
            stream.interrupt();
        });
        if (http2 != null) {
            inbound.untilEnded(http2.whenEnded(() -> {
                inbound.ended();
                stream.interrupt();
            }));
        }
        return inbound;
    }

    /**
     * The client's side of one call. It lets go of the connection (and with it the session) the moment the call
     * ends: Helidon keeps ended streams' handlers, and with them this observer, until its connection has
     * {@code max-concurrent-streams} of them.
     */
    private static final class InboundCall implements StreamObserver<InboundFrame> {
        private final AtomicReference<Connection> connection;
        private volatile Runnable forgetConnectionEnd = () -> { };

        InboundCall(Connection connection) {
            this.connection = new AtomicReference<>(connection);
        }

        void untilEnded(Runnable forget) {
            this.forgetConnectionEnd = forget;
            if (connection.get() == null) {
                forget.run();
            }
        }

        @Override
        public void onNext(InboundFrame frame) {
            Connection current = connection.get();
            if (current == null) {
                return;
            }
            if (frame.message() != null) {
                current.receive(frame.message());
            } else {
                current.receiveMalformed(frame.malformed());
            }
        }

        @Override
        public void onError(Throwable t) {
            ended();
        }

        @Override
        public void onCompleted() {
            ended();
        }

        void ended() {
            Connection ended = connection.getAndSet(null);
            if (ended != null) {
                ended.closed();
                forgetConnectionEnd.run();
            }
        }
    }
}
