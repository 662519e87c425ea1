package dev.switchboard.loadgen.peer;

import java.net.URI;

import com.google.protobuf.CodedInputStream;
import dev.switchboard.signaling.v1.ClientMessage;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * A peer of the relay floor: it sends exactly the binary frames a Switchboard protobuf peer sends, and the floor
 * forwards each, unread, to the other peer of its pair. No session, no acks: the floor's only job is forwarding.
 */
public final class FloorPeer extends WebSocketPeer {
    private long sequence;

    public FloorPeer(EventLoop loop, int port, String userId, String roomId, PeerListener listener) {
        super(loop, URI.create("ws://127.0.0.1:" + port + "/floor?pair=" + roomId), userId, roomId, listener);
    }

    @Override
    protected void opened() {
        ready.complete(null);
    }

    @Override
    public void send(SignalKind kind, String targetUserId, long stamp) {
        connection.sendBinary(SwitchboardPeer.signal(++sequence, 0, roomId, kind, targetUserId,
                                                     Payloads.body(kind, stamp)).toByteArray());
    }

    @Override
    protected void frame(WebSocketFrame frame) throws Exception {
        ClientMessage signal = ClientMessage.parseFrom(CodedInputStream.newInstance(frame.content().nioBuffer()));
        switch (signal.getPayloadCase()) {
            case OFFER -> received(SignalKind.OFFER, signal.getOffer().getSdp());
            case ANSWER -> received(SignalKind.ANSWER, signal.getAnswer().getSdp());
            case ICE_CANDIDATE -> received(SignalKind.CANDIDATE, signal.getIceCandidate().getCandidate());
            default -> listener.onProblem(this, "unexpected frame " + signal.getPayloadCase());
        }
    }

    private void received(SignalKind kind, String body) {
        listener.onSignal(this, kind, Payloads.stampOf(kind, body));
    }
}
