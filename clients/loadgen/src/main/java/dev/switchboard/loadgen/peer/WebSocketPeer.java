package dev.switchboard.loadgen.peer;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** A peer of a server that speaks JSON text over one WebSocket: connection plumbing shared by the anchors. */
abstract class WebSocketPeer extends BenchPeer {
    private final EventLoop loop;
    private final URI uri;
    protected WebSocketConnection connection;
    private volatile boolean closing;

    WebSocketPeer(EventLoop loop, URI uri, String userId, String roomId, PeerListener listener) {
        this(loop, uri, userId, roomId, listener, false);
    }

    /** With {@code hasRooms}, the peer completes {@link #partnerKnown} itself, when the server tells it. */
    WebSocketPeer(EventLoop loop, URI uri, String userId, String roomId, PeerListener listener, boolean hasRooms) {
        super(userId, roomId, listener, hasRooms);
        this.loop = loop;
        this.uri = uri;
    }

    /** The socket is open: say what the protocol says first. By default nothing: the server speaks first. */
    protected void opened() {
    }

    /** One text frame from the server. */
    protected abstract void frame(WebSocketFrame frame) throws Exception;

    @Override
    public CompletableFuture<Void> open() {
        WebSocketConnection.openFor(loop, uri, this::safeFrame, this::lost, ready, opened -> {
            connection = opened;
            opened();
        });
        return ready;
    }

    @Override
    public void flush() {
        connection.flush();
    }

    @Override
    public void execute(Runnable task) {
        connection.execute(task);
    }

    @Override
    public void close() {
        closing = true;
        if (connection != null) {
            connection.execute(connection::close);
        }
    }

    private void safeFrame(WebSocketFrame frame) {
        try {
            frame(frame);
        } catch (Exception e) {
            listener.onProblem(this, "unreadable frame: " + e);
        }
    }

    @Override
    public void abort() {
        if (connection != null) {
            connection.execute(connection::close);
        }
    }

    private void lost(String why) {
        if (closing) {
            closed.complete(null);
        } else {
            ready.completeExceptionally(new IllegalStateException(userId + ": " + why));
            listener.onProblem(this, why);
        }
    }
}
