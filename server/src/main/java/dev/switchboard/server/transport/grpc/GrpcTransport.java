package dev.switchboard.server.transport.grpc;

import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.signaling.Connection;
import dev.switchboard.server.signaling.SignalingCore;
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
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * The gRPC transport: {@code SignalingService.Connect} streams feed the core, {@code IceService} serves ICE
 * server lists. Both share the web server's one port.
 */
public final class GrpcTransport {
    private GrpcTransport() {
    }

    /**
     * @param core          the signaling core
     * @param iceServers    the ICE server source
     * @param authenticator who may ask for ICE servers
     * @return gRPC routing for both services, each reading the call's Bearer token
     */
    public static GrpcRouting.Builder routing(SignalingCore core, IceServerProvider iceServers,
                                              Authenticator authenticator) {
        BearerTokenInterceptor tokens = new BearerTokenInterceptor();
        return GrpcRouting.builder()
                .service(ServerInterceptors.intercept(signalingService(core), tokens))
                .service(ServerInterceptors.intercept(new GrpcIceService(iceServers, authenticator), tokens));
    }

    private static ServerServiceDefinition signalingService(SignalingCore core) {
        MethodDescriptor<InboundFrame, ServerMessage> connect = SignalingServiceGrpc.getConnectMethod()
                .toBuilder(new InboundFrame.Marshaller(), ProtoUtils.marshaller(ServerMessage.getDefaultInstance()))
                .build();
        return ServerServiceDefinition.builder(SignalingServiceGrpc.SERVICE_NAME)
                .addMethod(connect, ServerCalls.asyncBidiStreamingCall(responses -> connect(core, responses)))
                .build();
    }

    /**
     * The HTTP/2 connection selector that lets calls notice their connection dying and bounds message sizes;
     * add it to the web server before Helidon's own.
     *
     * @param serverConfig    the {@code server} configuration node
     * @param maxMessageBytes {@code limits.max-message-bytes}
     * @return the selector
     */
    public static ServerConnectionSelector connectionSelector(Config serverConfig, int maxMessageBytes) {
        return Http2ConnectionWatch.create(serverConfig, maxMessageBytes);
    }

    private static StreamObserver<InboundFrame> connect(SignalingCore core, StreamObserver<ServerMessage> responses) {
        ServerCallStreamObserver<ServerMessage> call = (ServerCallStreamObserver<ServerMessage>) responses;
        Http2ConnectionWatch.Activity http2 = Http2ConnectionWatch.connection().orElse(null);
        Connection connection = core.open(new GrpcPeerLink(call, http2, BearerTokenInterceptor.current()));
        call.setOnCancelHandler(connection::closed);
        // This runs on Helidon's thread for the stream, which stays parked forever if the connection dies
        // without a RST_STREAM; interrupting it once the connection thread is gone lets it end.
        if (http2 != null) {
            connection.closeWhenEnded(http2.thread(), Thread.currentThread());
        }
        return new StreamObserver<>() {
            @Override
            public void onNext(InboundFrame frame) {
                if (frame.message() != null) {
                    connection.receive(frame.message());
                } else {
                    connection.receiveMalformed(frame.malformed());
                }
            }

            @Override
            public void onError(Throwable t) {
                connection.closed();
            }

            @Override
            public void onCompleted() {
                connection.closed();
            }
        };
    }
}
