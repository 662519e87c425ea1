package dev.switchboard.testkit;

import java.util.concurrent.TimeUnit;

import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalingServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

/**
 * A peer on a plain grpc-java stub, as a native app would connect.
 */
public final class GrpcPeer extends Peer {
    private final String name;
    private final ManagedChannel channel;
    private final StreamObserver<ClientMessage> requests;

    /**
     * Opens a {@code SignalingService.Connect} stream.
     *
     * @param name label for failure messages
     * @param port server port on 127.0.0.1
     */
    public GrpcPeer(String name, int port) {
        this(name, port, new Metadata());
    }

    /**
     * Opens a {@code SignalingService.Connect} stream with call metadata (credentials).
     *
     * @param name    label for failure messages
     * @param port    server port on 127.0.0.1
     * @param headers metadata sent with the call
     */
    public GrpcPeer(String name, int port, Metadata headers) {
        this.name = name;
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        this.requests = SignalingServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .connect(responsesFor(this));
    }

    /**
     * A response observer that delivers a gRPC peer's server messages to it and records how the call ended.
     *
     * @param peer the peer
     * @return the observer
     */
    public static StreamObserver<ServerMessage> responsesFor(Peer peer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(ServerMessage message) {
                peer.deliver(message);
            }

            @Override
            public void onError(Throwable t) {
                Status status = Status.fromThrowable(t);
                peer.closed.complete(status.getCode().name() + ": " + status.getDescription());
            }

            @Override
            public void onCompleted() {
                peer.closed.complete("OK");
            }
        };
    }

    @Override
    public synchronized void send(ClientMessage message) {
        requests.onNext(message);
    }

    @Override
    public void abort() {
        channel.shutdownNow();
    }

    @Override
    public void close() {
        try {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (grpc)";
    }
}
