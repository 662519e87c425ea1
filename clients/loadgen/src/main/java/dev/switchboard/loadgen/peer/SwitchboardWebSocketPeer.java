package dev.switchboard.loadgen.peer;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * A browser-style Switchboard peer on {@code /signaling}: proto3 JSON text frames (what the browser SDK sends),
 * or binary protobuf frames.
 */
public final class SwitchboardWebSocketPeer extends SwitchboardPeer {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final EventLoop loop;
    private final URI uri;
    private final boolean binary;
    private WebSocketConnection connection;

    public SwitchboardWebSocketPeer(EventLoop loop, int port, boolean binary, String userId, String roomId,
                                    PeerListener listener) {
        super(userId, roomId, listener);
        this.loop = loop;
        this.uri = URI.create("ws://127.0.0.1:" + port + "/signaling");
        this.binary = binary;
    }

    @Override
    public CompletableFuture<Void> open() {
        WebSocketConnection.openFor(loop, uri, this::frame, this::lost, ready, opened -> {
            connection = opened;
            connected();
        });
        return ready;
    }

    @Override
    protected void transmit(ClientMessage message) {
        if (binary) {
            connection.sendBinary(message.toByteArray());
        } else {
            try {
                connection.sendText(PRINTER.print(message));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    protected void transmitSignal(long sequence, long lastReceived, SignalKind kind, String target, String body) {
        if (binary) {
            connection.sendBinary(signal(sequence, lastReceived, roomId, kind, target, body).toByteArray());
            return;
        }
        connection.sendText(SwitchboardJson.writeSignal(connection.buffer(body.length() + 160), sequence,
                                                       lastReceived, roomId, kind, target, body));
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
    protected void disconnect() {
        connection.close();
    }

    private void frame(WebSocketFrame frame) {
        try {
            received(frame instanceof TextWebSocketFrame ? SwitchboardJson.read(frame.content())
                                                          : fromProtobuf(frame.content()));
        } catch (IOException | RuntimeException e) {
            listener.onProblem(this, "unreadable frame: " + e);
        }
    }

    private static ServerEvent fromProtobuf(ByteBuf content) throws IOException {
        return event(ServerMessage.parseFrom(CodedInputStream.newInstance(content.nioBuffer())));
    }
}
