package dev.switchboard.server.transport.grpc;

import dev.switchboard.server.auth.AuthException;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.GetIceServersRequest;
import dev.switchboard.signaling.v1.GetIceServersResponse;
import dev.switchboard.signaling.v1.IceServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * {@code IceService}: ICE server lists for backend services.
 */
final class GrpcIceService extends IceServiceGrpc.IceServiceImplBase {
    private final IceServerProvider iceServers;
    private final Authenticator authenticator;

    GrpcIceService(IceServerProvider iceServers, Authenticator authenticator) {
        this.iceServers = iceServers;
        this.authenticator = authenticator;
    }

    /**
     * With auth.mode jwt the caller needs {@code authorization: Bearer} metadata, and {@code user_id}, when
     * given, must be the token's subject.
     */
    @Override
    public void getIceServers(GetIceServersRequest request, StreamObserver<GetIceServersResponse> responses) {
        Identity caller;
        try {
            caller = authenticator.identify(BearerTokenInterceptor.current().orElse(""), request.getUserId());
        } catch (AuthException e) {
            Status status = e.code() == ErrorCode.ERROR_CODE_PERMISSION_DENIED ? Status.PERMISSION_DENIED
                    : Status.UNAUTHENTICATED;
            responses.onError(status.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        responses.onNext(iceServers.serversFor(caller.userId()).toResponse());
        responses.onCompleted();
    }
}
