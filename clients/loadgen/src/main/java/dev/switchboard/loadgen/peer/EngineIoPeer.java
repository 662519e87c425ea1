package dev.switchboard.loadgen.peer;

import java.net.URI;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * A Socket.IO v4 client over Engine.IO's WebSocket transport, as {@code socket.io-client} speaks it: Engine.IO packets
 * ({@code 0} open, {@code 2}/{@code 3} ping/pong, {@code 4} message) carrying Socket.IO packets. What both Socket.IO
 * targets share: the Engine.IO layer, and signals as events shaped like the gateway Switchboard replaces.
 */
abstract class EngineIoPeer extends WebSocketPeer {
    EngineIoPeer(EventLoop loop, int port, String userId, String roomId, PeerListener listener, boolean hasRooms) {
        super(loop, URI.create("ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"),
              userId, roomId, listener, hasRooms);
    }

    /** The Engine.IO connection is open: connect to the namespace. */
    protected abstract void engineOpened();

    /**
     * A Socket.IO packet.
     *
     * @param type    its type digit
     * @param content the rest of it
     */
    protected abstract void packet(char type, ByteBuf content) throws Exception;

    @Override
    protected void frame(WebSocketFrame frame) throws Exception {
        ByteBuf content = frame.content();
        char engineIo = (char) content.readByte();
        switch (engineIo) {
            case '0' -> {
                engineOpened();
                connection.flush();
            }
            case '2' -> {
                connection.sendText("3");
                connection.flush();
            }
            case '4' -> packet((char) content.readByte(), content);
            default -> {
            }
        }
    }

    /**
     * Sends a signal event: {@code [name, {roomId, targetUserId, sequence?, candidate | sdp}]}, the candidate an
     * RTCIceCandidateInit and the SDP an RTCSessionDescriptionInit.
     *
     * @param prefix       the packet up to the JSON ({@code 42}, with the namespace if not the default one)
     * @param name         the event's name
     * @param kind         the signal's kind
     * @param targetUserId the peer it is for
     * @param sequence     the old gateway's sequence, or 0 for none
     * @param stamp        the send time its body carries
     */
    protected void sendSignal(String prefix, String name, SignalKind kind, String targetUserId, long sequence,
                              long stamp) {
        String body = Payloads.body(kind, stamp);
        connection.sendText(JsonFrames.write(connection.buffer(body.length() + 160), prefix, json -> {
            json.writeStartArray();
            json.writeString(name);
            json.writeStartObject();
            json.writeStringField("roomId", roomId);
            json.writeStringField("targetUserId", targetUserId);
            if (sequence > 0) {
                json.writeNumberField("sequence", sequence);
            }
            if (kind == SignalKind.CANDIDATE) {
                json.writeObjectFieldStart("candidate");
                json.writeStringField("candidate", body);
                json.writeStringField("sdpMid", "0");
                json.writeNumberField("sdpMLineIndex", 0);
            } else {
                json.writeObjectFieldStart("sdp");
                json.writeStringField("type", kind == SignalKind.OFFER ? "offer" : "answer");
                json.writeStringField("sdp", body);
            }
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndArray();
        }));
    }

    /** Reports a relayed signal's arrival. */
    protected void signal(SignalKind kind, String body) {
        listener.onSignal(this, kind, Payloads.stampOf(kind, body));
    }
}
