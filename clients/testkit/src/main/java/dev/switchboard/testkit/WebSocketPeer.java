package dev.switchboard.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * A peer on a {@code java.net.http} WebSocket, speaking JSON text frames or protobuf binary frames as a browser
 * would.
 */
public final class WebSocketPeer extends Peer {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String name;
    private final boolean binary;
    private final WebSocket socket;
    private final StringBuilder text = new StringBuilder();
    private java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private volatile boolean paused;

    /**
     * Connects to {@code /signaling}.
     *
     * @param name   label for failure messages
     * @param port   server port on 127.0.0.1
     * @param binary true to send protobuf binary frames, false for JSON text frames
     */
    public WebSocketPeer(String name, int port, boolean binary) {
        this(name, port, binary, "", Map.of());
    }

    /**
     * Connects to {@code /signaling} with a query string and upgrade headers (credentials).
     *
     * @param name    label for failure messages
     * @param port    server port on 127.0.0.1
     * @param binary  true to send protobuf binary frames, false for JSON text frames
     * @param query   query string without {@code ?}, or empty
     * @param headers headers of the upgrade request
     */
    public WebSocketPeer(String name, int port, boolean binary, String query, Map<String, String> headers) {
        this.name = name;
        this.binary = binary;
        try {
            WebSocket.Builder builder = HTTP.newWebSocketBuilder();
            headers.forEach(builder::header);
            this.socket = builder.buildAsync(URI.create("ws://127.0.0.1:" + port + "/signaling"
                                                        + (query.isEmpty() ? "" : "?" + query)), new Listener())
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot connect " + name, e);
        }
    }

    @Override
    public void send(ClientMessage message) {
        if (binary) {
            sendBinary(message.toByteArray());
        } else {
            try {
                sendText(JsonFormat.printer().print(message));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Sends raw text, as a buggy or hostile client might.
     *
     * @param frame frame content
     */
    public synchronized void sendText(String frame) {
        socket.sendText(frame, true).join();
    }

    /**
     * Sends raw bytes, as a buggy or hostile client might.
     *
     * @param frame frame content
     */
    public synchronized void sendBinary(byte[] frame) {
        socket.sendBinary(ByteBuffer.wrap(frame), true).join();
    }

    /**
     * Stops reading from the socket, so the server's writes back up (a slow consumer).
     */
    public void pauseReading() {
        paused = true;
    }

    @Override
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }

    @Override
    public String toString() {
        return name + " (websocket " + (binary ? "binary" : "json") + ")";
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                ServerMessage.Builder message = ServerMessage.newBuilder();
                try {
                    JsonFormat.parser().merge(text.toString(), message);
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError("server sent invalid JSON: " + text, e);
                }
                text.setLength(0);
                deliver(message.build());
            }
            requestMore(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            bytes.writeBytes(chunk);
            if (last) {
                try {
                    deliver(ServerMessage.parseFrom(bytes.toByteArray()));
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError("server sent an invalid binary frame", e);
                }
                bytes = new java.io.ByteArrayOutputStream();
            }
            requestMore(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + ": " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error: " + error);
        }

        private void requestMore(WebSocket webSocket) {
            if (!paused) {
                webSocket.request(1);
            }
        }
    }
}
