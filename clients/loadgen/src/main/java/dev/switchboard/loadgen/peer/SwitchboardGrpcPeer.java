package dev.switchboard.loadgen.peer;

import java.util.concurrent.CompletableFuture;

import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalingServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoop;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.stub.StreamObserver;

/**
 * A native-app Switchboard peer: the generated grpc-java stub on {@code SignalingService.Connect}, one channel
 * (one HTTP/2 connection) per peer as a phone has, or one stream of a shared channel for dense idle sessions.
 * A channel lives on one event loop and delivers on it (direct executor), and the peer's sends run there too:
 * one thread per peer, no locks.
 */
public final class SwitchboardGrpcPeer extends SwitchboardPeer {
    private final EventLoop loop;
    private final ManagedChannel channel;
    private final boolean ownsChannel;
    private StreamObserver<ClientMessage> requests;

    /** A peer with a channel of its own on {@code loop}. */
    public SwitchboardGrpcPeer(EventLoop loop, int port, String userId, String roomId, PeerListener listener) {
        this(loop, channel(loop, port), true, userId, roomId, listener);
    }

    /** A peer that is one stream on {@code channel}, which the caller made with {@link #channel} and owns. */
    public SwitchboardGrpcPeer(EventLoop loop, ManagedChannel channel, String userId, String roomId,
                               PeerListener listener) {
        this(loop, channel, false, userId, roomId, listener);
    }

    private SwitchboardGrpcPeer(EventLoop loop, ManagedChannel channel, boolean ownsChannel, String userId,
                                String roomId, PeerListener listener) {
        super(userId, roomId, listener);
        this.loop = loop;
        this.channel = channel;
        this.ownsChannel = ownsChannel;
    }

    /** A plaintext channel to the server on loopback, whose callbacks run on {@code loop} itself. */
    public static ManagedChannel channel(EventLoop loop, int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port)
                .eventLoopGroup(loop)
                .channelType(NioSocketChannel.class)
                .directExecutor()
                .usePlaintext()
                .build();
    }

    @Override
    public CompletableFuture<Void> open() {
        execute(() -> {
            requests = SignalingServiceGrpc.newStub(channel).connect(new StreamObserver<>() {
                @Override
                public void onNext(ServerMessage message) {
                    received(event(message));
                }

                @Override
                public void onError(Throwable failure) {
                    lost(failure.toString());
                }

                @Override
                public void onCompleted() {
                    lost("stream completed by the server");
                    if (ownsChannel) {
                        channel.shutdown();
                    }
                }
            });
            connected();
        });
        return ready;
    }

    @Override
    protected void transmit(ClientMessage message) {
        requests.onNext(message);
    }

    @Override
    protected void transmitSignal(long sequence, long lastReceived, SignalKind kind, String target, String body) {
        requests.onNext(signal(sequence, lastReceived, roomId, kind, target, body));
    }

    @Override
    public void flush() {
        // grpc-java flushes on its own, batching writes made in the same event-loop turn
    }

    @Override
    public void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    @Override
    protected void afterBye() {
        requests.onCompleted();     // a half-close, not a reset: the server still reads the bye
    }

    @Override
    protected void disconnect() {
        if (ownsChannel) {
            channel.shutdownNow();
        }
    }
}
