package dev.switchboard.server.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalingServiceGrpc;
import dev.switchboard.testkit.GrpcPeer;
import dev.switchboard.testkit.Peer;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;

/**
 * A gRPC peer that can put arbitrary bytes in a message frame of {@code SignalingService.Connect}, as a buggy or
 * hostile client could; a generated stub cannot.
 */
public final class RawGrpcPeer extends Peer {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private final ManagedChannel channel;
    private final StreamObserver<byte[]> requests;

    /**
     * @param port server port on 127.0.0.1
     */
    public RawGrpcPeer(int port) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        MethodDescriptor<byte[], ServerMessage> connect = SignalingServiceGrpc.getConnectMethod()
                .toBuilder(BYTES, ProtoUtils.marshaller(ServerMessage.getDefaultInstance()))
                .build();
        requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(connect, CallOptions.DEFAULT),
                                                      GrpcPeer.responsesFor(this));
    }

    /**
     * @param frame bytes to send as one gRPC message
     */
    public synchronized void sendBytes(byte[] frame) {
        requests.onNext(frame);
    }

    @Override
    public void send(ClientMessage message) {
        sendBytes(message.toByteArray());
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
        return "raw gRPC peer";
    }
}
