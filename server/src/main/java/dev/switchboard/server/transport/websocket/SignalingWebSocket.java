package dev.switchboard.server.transport.websocket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.server.auth.AllowedOrigins;
import dev.switchboard.server.auth.BearerToken;
import dev.switchboard.server.limits.Utf8;
import dev.switchboard.server.signaling.Connection;
import dev.switchboard.server.signaling.SignalingCore;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

/**
 * The WebSocket transport for one connection at {@code /signaling}: decodes each message (JSON text or protobuf
 * binary, reassembled when fragmented) into a {@code ClientMessage} for the core, nothing more.
 */
final class SignalingWebSocket implements WsListener {
    private static final System.Logger LOG = System.getLogger("switchboard.websocket");

    private final SignalingCore core;
    private final FrameCodec codec;
    /** {@code limits.max-message-bytes}: a larger message, whole or reassembled, closes the connection. */
    private final int maxMessageBytes;
    private final AllowedOrigins origins;
    private WebSocketPeerLink link;
    private Connection connection;
    private Optional<String> bearerToken = Optional.empty();
    private ByteArrayOutputStream fragments;
    private boolean discardingOversized;

    SignalingWebSocket(SignalingCore core, FrameCodec codec, int maxMessageBytes, AllowedOrigins origins) {
        this.core = core;
        this.codec = codec;
        this.maxMessageBytes = maxMessageBytes;
        this.origins = origins;
    }

    /**
     * Refuses pages outside {@code security.allowed-origins} (the upgrade does not happen), and keeps the
     * credential of the upgrade request: an {@code Authorization: Bearer} header, or for browsers (which cannot
     * set headers on a WebSocket) an {@code access_token} query parameter.
     */
    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        String origin = headers.first(HeaderNames.ORIGIN).orElse(null);
        if (!origins.permits(origin)) {
            LOG.log(System.Logger.Level.INFO, "WebSocket refused: origin " + origin + " is not allowed");
            throw new WsUpgradeException("origin not allowed");
        }
        bearerToken = BearerToken.of(headers.first(HeaderNames.AUTHORIZATION).orElse(null))
                .or(() -> prologue.query().first("access_token").asOptional().filter(token -> !token.isEmpty()));
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        Thread reader = Thread.currentThread();
        link = new WebSocketPeerLink(session, reader, codec, bearerToken);
        connection = core.open(link);
        connection.closeWhenEnded(reader, null);
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (last && fragments == null && !discardingOversized) {
            // the usual case: a whole message in one frame
            if (Utf8.exceeds(text, maxMessageBytes)) {
                connection.messageTooLarge(maxMessageBytes);
            } else {
                decodeJson(text);
            }
            return;
        }
        byte[] whole = reassemble(text.getBytes(StandardCharsets.UTF_8), last);
        if (whole != null) {
            decodeJson(new String(whole, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        byte[] whole = reassemble(buffer.readBytes(), last);
        if (whole != null) {
            link.peerUsed(true);
            try {
                connection.receive(codec.fromBinary(whole));
            } catch (InvalidProtocolBufferException e) {
                connection.receiveMalformed("not a ClientMessage in protobuf: " + e.getMessage());
            }
        }
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        link.controlFrameReceived();
        link.pong(buffer);
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        link.controlFrameReceived();
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        connection.closed();
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        connection.closed();
    }

    private void decodeJson(String text) {
        link.peerUsed(false);
        try {
            connection.receive(codec.fromJson(text));
        } catch (IOException e) {
            connection.receiveMalformed("not a ClientMessage in proto3 JSON: " + e.getMessage());
        }
    }

    /**
     * Collects the fragments of one message.
     *
     * @return the whole message once its last fragment is in, else null (also when it grew too large: the
     *         connection is then being closed, and the rest is ignored)
     */
    private byte[] reassemble(byte[] fragment, boolean last) {
        if (discardingOversized) {
            return null;
        }
        int size = fragment.length + (fragments == null ? 0 : fragments.size());
        if (size > maxMessageBytes) {
            fragments = null;
            discardingOversized = true;
            connection.messageTooLarge(maxMessageBytes);
            return null;
        }
        if (fragments == null) {
            if (last) {
                return fragment;
            }
            fragments = new ByteArrayOutputStream();
        }
        fragments.writeBytes(fragment);
        if (!last) {
            return null;
        }
        byte[] whole = fragments.toByteArray();
        fragments = null;
        return whole;
    }
}
