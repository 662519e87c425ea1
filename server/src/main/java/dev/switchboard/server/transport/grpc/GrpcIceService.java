package dev.switchboard.server.transport.grpc;

import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.signaling.v1.GetIceServersRequest;
import dev.switchboard.signaling.v1.GetIceServersResponse;
import dev.switchboard.signaling.v1.IceServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * {@code IceService}: ICE server lists for backend services.
 */
final class GrpcIceService extends IceServiceGrpc.IceServiceImplBase {
    private final IceServerProvider iceServers;

    GrpcIceService(IceServerProvider iceServers) {
        this.iceServers = iceServers;
    }

    @Override
    public void getIceServers(GetIceServersRequest request, StreamObserver<GetIceServersResponse> responses) {
        responses.onNext(GetIceServersResponse.newBuilder()
                                 .addAllIceServers(iceServers.serversFor(request.getUserId()))
                                 .build());
        responses.onCompleted();
    }
}
