package dev.switchboard.loadgen.peer;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

/**
 * A WebSocket client connection on a Netty event loop: cheap per message (no per-frame futures or thread
 * hops), which a load generator sharing two cores with the server needs. Netty answers the server's pings.
 */
public final class WebSocketConnection extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final int MAX_FRAME = 1 << 20;

    private final Consumer<WebSocketFrame> frames;
    private final Consumer<String> closed;
    private final CompletableFuture<WebSocketConnection> handshake = new CompletableFuture<>();
    private volatile Channel channel;

    private WebSocketConnection(Consumer<WebSocketFrame> frames, Consumer<String> closed) {
        this.frames = frames;
        this.closed = closed;
    }

    /**
     * Opens a connection on {@code loop}.
     *
     * @param frames called with every text or binary frame, on the loop; the frame is released afterwards
     * @param closed called once if the connection ends, with why
     */
    public static CompletableFuture<WebSocketConnection> open(EventLoop loop, URI uri,
                                                              Consumer<WebSocketFrame> frames,
                                                              Consumer<String> closed) {
        WebSocketConnection connection = new WebSocketConnection(frames, closed);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .maxFramePayloadLength(MAX_FRAME)
                .handshakeTimeoutMillis(30_000)
                .build();
        new Bootstrap().group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new HttpClientCodec(),
                                                   new HttpObjectAggregator(MAX_FRAME),
                                                   new WebSocketClientProtocolHandler(config),
                                                   new WebSocketFrameAggregator(MAX_FRAME),
                                                   connection);
                    }
                })
                .connect(uri.getHost(), uri.getPort())
                .addListener(connected -> {
                    if (!connected.isSuccess()) {
                        connection.handshake.completeExceptionally(connected.cause());
                    }
                });
        return connection.handshake;
    }

    /**
     * Opens a connection for a peer: {@code ready} fails if it cannot be opened; otherwise {@code opened} runs on
     * the connection's loop with it.
     */
    static void openFor(EventLoop loop, URI uri, Consumer<WebSocketFrame> frames, Consumer<String> closed,
                        CompletableFuture<?> ready, Consumer<WebSocketConnection> opened) {
        open(loop, uri, frames, closed).whenComplete((connection, failure) -> {
            if (failure != null) {
                ready.completeExceptionally(failure);
            } else {
                connection.execute(() -> opened.accept(connection));
            }
        });
    }

    /** Writes a text frame (not flushed). */
    public void sendText(String text) {
        channel.write(new TextWebSocketFrame(text));
    }

    /** Writes a text frame from bytes that are UTF-8 already (not flushed). */
    public void sendText(ByteBuf utf8) {
        channel.write(new TextWebSocketFrame(utf8));
    }

    /** Writes a binary frame (not flushed). */
    public void sendBinary(byte[] bytes) {
        channel.write(new BinaryWebSocketFrame(channel.alloc().buffer(bytes.length).writeBytes(bytes)));
    }

    /** A buffer for building a frame's payload. */
    public ByteBuf buffer(int initialCapacity) {
        return channel.alloc().buffer(initialCapacity);
    }

    public void flush() {
        channel.flush();
    }

    /** Runs {@code task} on this connection's event loop: inline when already there. */
    public void execute(Runnable task) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** Sends a close frame and closes the socket. */
    public void close() {
        Channel current = channel;
        if (current != null && current.isActive()) {
            current.writeAndFlush(new CloseWebSocketFrame(1000, "done")).addListener(done -> current.close());
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            handshake.complete(this);
        } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            handshake.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        // A frame that came in the same read as the 101 response reaches here before Netty's HANDSHAKE_COMPLETE
        // event: the handshake is complete all the same, and the peer must know its connection before the frame.
        handshake.complete(this);
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            frames.accept(frame);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!handshake.isDone()) {
            handshake.completeExceptionally(new IllegalStateException("closed during the WebSocket handshake"));
        }
        closed.accept("connection closed");
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        handshake.completeExceptionally(cause);
        closed.accept(cause.toString());
        ctx.close();
    }

    /** The bytes of a frame, for decoders that want an array. */
    public static byte[] bytes(WebSocketFrame frame) {
        return ByteBufUtil.getBytes(frame.content());
    }
}
