package dev.switchboard.loadgen.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ManagedChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

/** The protocols the load generator speaks, each on its own client threads. */
public final class Protocols {
    /** Sessions per HTTP/2 connection for {@code switchboard-grpc-shared}, dense idle sessions. */
    public static final int GRPC_STREAMS_PER_CHANNEL = 100;

    private Protocols() {
    }

    /** The benchmark's names for them. */
    public static Protocol named(String name, int port, int threads) {
        return named(name, List.of(port), threads);
    }

    /**
     * The protocol of a target served on several ports (a cluster's nodes): peers connect to them in turn, so the
     * two peers of each pair, created one after the other, sit on different nodes.
     *
     * @param name    the target
     * @param ports   the ports
     * @param threads I/O threads
     * @return the protocol
     */
    public static Protocol named(String name, List<Integer> ports, int threads) {
        int port = ports.get(0);
        AtomicInteger created = new AtomicInteger();
        return switch (name) {
            case "switchboard-cluster" -> webSocket(threads, (loop, user, room, listener) ->
                    new SwitchboardWebSocketPeer(loop, ports.get(created.getAndIncrement() % ports.size()), true,
                                                 user, room, listener), false);
            case "switchboard-ws-json" -> webSocket(threads, (loop, user, room, listener) ->
                    new SwitchboardWebSocketPeer(loop, port, false, user, room, listener), false);
            case "switchboard-ws-binary" -> webSocket(threads, (loop, user, room, listener) ->
                    new SwitchboardWebSocketPeer(loop, port, true, user, room, listener), false);
            case "switchboard-grpc" -> grpc(threads, port, 1);
            case "switchboard-grpc-shared" -> grpc(threads, port, GRPC_STREAMS_PER_CHANNEL);
            case "switchboard-socketio" -> webSocket(threads, (loop, user, room, listener) ->
                    new SwitchboardSocketIoPeer(loop, port, user, room, listener), false);
            case "peerjs" -> webSocket(threads, (loop, user, room, listener) ->
                    new PeerJsPeer(loop, port, user, room, listener), false);
            case "socketio" -> webSocket(threads, (loop, user, room, listener) ->
                    new SocketIoPeer(loop, port, user, room, listener), false);
            case "floor" -> webSocket(threads, (loop, user, room, listener) ->
                    new FloorPeer(loop, port, user, room, listener), false);
            case "echo" -> webSocket(threads, (loop, user, room, listener) ->
                    new EchoPeer(loop, port, user, room, listener), true);
            default -> throw new IllegalArgumentException("unknown protocol " + name);
        };
    }

    private interface WebSocketPeers {
        BenchPeer create(EventLoop loop, String userId, String roomId, PeerListener listener);
    }

    private static Protocol webSocket(int threads, WebSocketPeers peers, boolean echoes) {
        NioEventLoopGroup group = new NioEventLoopGroup(threads);
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add((EventLoop) executor);
        }
        return new Protocol() {
            @Override
            public List<ScheduledExecutorService> lanes() {
                return List.copyOf(loops);
            }

            @Override
            public BenchPeer peer(int lane, String userId, String roomId, PeerListener listener) {
                return peers.create(loops.get(lane), userId, roomId, listener);
            }

            @Override
            public boolean echoes() {
                return echoes;
            }

            @Override
            public void close() {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        };
    }

    /** gRPC peers, {@code streamsPerChannel} of them per channel (1: a channel each, as phones have). */
    private static Protocol grpc(int threads, int port, int streamsPerChannel) {
        var group = new io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup(threads);
        List<io.grpc.netty.shaded.io.netty.channel.EventLoop> loops = new ArrayList<>();
        for (var executor : group) {
            loops.add((io.grpc.netty.shaded.io.netty.channel.EventLoop) executor);
        }
        List<ManagedChannel> shared = new ArrayList<>();
        int[] streamsOnCurrent = new int[threads];
        ManagedChannel[] current = new ManagedChannel[threads];
        return new Protocol() {
            @Override
            public List<ScheduledExecutorService> lanes() {
                return List.copyOf(loops);
            }

            @Override
            public synchronized BenchPeer peer(int lane, String userId, String roomId, PeerListener listener) {
                if (streamsPerChannel == 1) {
                    return new SwitchboardGrpcPeer(loops.get(lane), port, userId, roomId, listener);
                }
                if (current[lane] == null || streamsOnCurrent[lane] == streamsPerChannel) {
                    current[lane] = SwitchboardGrpcPeer.channel(loops.get(lane), port);
                    streamsOnCurrent[lane] = 0;
                    shared.add(current[lane]);
                }
                streamsOnCurrent[lane]++;
                return new SwitchboardGrpcPeer(loops.get(lane), current[lane], userId, roomId, listener);
            }

            @Override
            public synchronized void close() {
                shared.forEach(ManagedChannel::shutdownNow);
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        };
    }
}
