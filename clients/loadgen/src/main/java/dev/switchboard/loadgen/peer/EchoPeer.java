package dev.switchboard.loadgen.peer;

import java.net.URI;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * A peer of the bare echo server: it sends exactly the frames a Switchboard JSON peer sends, and each comes
 * back to itself. One frame in and one out per signal, no parsing on the server: the transport's limit.
 */
public final class EchoPeer extends WebSocketPeer {
    private long sequence;

    public EchoPeer(EventLoop loop, int port, String userId, String roomId, PeerListener listener) {
        super(loop, URI.create("ws://127.0.0.1:" + port + "/echo"), userId, roomId, listener);
    }

    @Override
    protected void opened() {
        ready.complete(null);
    }

    @Override
    public void send(SignalKind kind, String targetUserId, long stamp) {
        String body = Payloads.body(kind, stamp);
        connection.sendText(SwitchboardJson.writeSignal(connection.buffer(body.length() + 160), ++sequence, 0,
                                                        roomId, kind, targetUserId, body));
    }

    @Override
    protected void frame(WebSocketFrame frame) throws Exception {
        ServerEvent event = SwitchboardJson.read(frame.content());
        if (event.type() == ServerEvent.Type.SIGNAL) {
            listener.onSignal(this, event.signal(), Payloads.stampOf(event.signal(), event.body()));
        }
    }
}
