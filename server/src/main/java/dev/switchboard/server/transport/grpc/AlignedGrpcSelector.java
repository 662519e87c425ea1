package dev.switchboard.server.transport.grpc;

import dev.switchboard.signaling.v1.SignalingServiceGrpc;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.http2.Http2ErrorCode;
import io.helidon.http.http2.Http2FrameHeader;
import io.helidon.http.http2.Http2Headers;
import io.helidon.http.http2.Http2RstStream;
import io.helidon.http.http2.Http2Settings;
import io.helidon.http.http2.Http2StreamState;
import io.helidon.http.http2.Http2StreamWriter;
import io.helidon.http.http2.Http2WindowUpdate;
import io.helidon.http.http2.StreamFlowControl;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.Router;
import io.helidon.webserver.http2.spi.Http2SubProtocolSelector;
import io.helidon.webserver.http2.spi.SubProtocolResult;

/**
 * Helidon's gRPC sub-protocol, fed so that every gRPC message prefix arrives whole, and each message parsed once,
 * from an array.
 * <p>
 * gRPC frames each message with a 5-byte prefix (compression flag, length) and HTTP/2 may split the byte stream
 * into DATA frames anywhere, including inside that prefix. Helidon 4.2's handler assumes the prefix never
 * straddles two DATA frames and cancels the call when it does; a client sending SDP-sized messages back to back
 * hits that. This selector re-chunks each stream's bytes along message boundaries before Helidon's handler sees
 * them: each chunk it forwards starts with a whole prefix, or continues the body of the current message.
 * <p>
 * It also enforces {@code limits.max-message-bytes} before a byte of the body is buffered: Helidon's handler
 * allocates whatever length a prefix declares. A stream whose message is too large is reset with
 * {@code ENHANCE_YOUR_CALM}, which gRPC clients report as {@code RESOURCE_EXHAUSTED}; the call ends as if the
 * client had cancelled it, so its session stays resumable. A message flagged compressed when no compression was
 * negotiated resets the stream with {@code PROTOCOL_ERROR} ({@code INTERNAL}, as the gRPC spec says), where
 * Helidon's handler would end the call with OK and log the frame as hex with a stack trace. Either costs the
 * connection's log one line at most ({@link MalformedFrames}).
 * <p>
 * And it parses each (uncompressed) message itself, from one array: Helidon's handler copies the body into a
 * buffer of its own and hands the marshaller an {@code InputStream} that reads it a byte at a time (Helidon
 * 4.2.6's {@code BufferData.asInputStream()}), which cost a quarter of the gRPC relay's CPU. Helidon's handler then
 * gets an empty message in its place, and the marshaller takes the parsed one ({@link InboundFrame.Marshaller#parse}).
 */
final class AlignedGrpcSelector implements Http2SubProtocolSelector {
    private static final HeaderName GRPC_ENCODING = HeaderNames.create("grpc-encoding");
    /** The signaling stream's path, whose messages {@link InboundFrame.Marshaller} takes parsed. */
    private static final String SIGNALING_PATH = "/" + SignalingServiceGrpc.getConnectMethod().getFullMethodName();

    private final Http2SubProtocolSelector grpc;
    private final int maxMessageBytes;
    private final boolean compressionEnabled;

    AlignedGrpcSelector(Http2SubProtocolSelector grpc, int maxMessageBytes, boolean compressionEnabled) {
        this.grpc = grpc;
        this.maxMessageBytes = maxMessageBytes;
        this.compressionEnabled = compressionEnabled;
    }

    @Override
    public SubProtocolResult subProtocol(ConnectionContext ctx,
                                         HttpPrologue prologue,
                                         Http2Headers headers,
                                         Http2StreamWriter streamWriter,
                                         int streamId,
                                         Http2Settings serverSettings,
                                         Http2Settings clientSettings,
                                         StreamFlowControl streamFlowControl,
                                         Http2StreamState currentStreamState,
                                         Router router) {
        ConnectionActivity connection = Http2ConnectionWatch.connection().orElseThrow();
        if (currentStreamState == Http2StreamState.CLOSED) {
            // reset before its thread even started: nothing is set up for it, but it counts as a rapid reset
            rapidReset(connection);
            return new SubProtocolResult(true, ResetBeforeStart.INSTANCE);
        }
        SubProtocolResult result = grpc.subProtocol(ctx, prologue, headers, streamWriter, streamId, serverSettings,
                                                    clientSettings, streamFlowControl, currentStreamState, router);
        if (!result.supported()) {
            return result;
        }
        // Helidon decompresses only when compression is enabled and the call names an encoding
        boolean compressed = compressionEnabled && headers.httpHeaders().first(GRPC_ENCODING)
                .filter(encoding -> !encoding.equals("identity")).isPresent();
        // only the signaling stream's marshaller takes a message parsed here; other methods parse their own
        boolean parseHere = SIGNALING_PATH.equals(prologue.uriPath().rawPath());
        return new SubProtocolResult(true, new AligningHandler(result.subProtocol(), streamId, maxMessageBytes,
                                                               streamWriter, clientSettings, compressed, parseHere,
                                                               connection));
    }

    /** Counts a stream reset before it carried a message; too many close the connection. */
    static void rapidReset(ConnectionActivity connection) {
        if (connection.rapidResets().reset()) {
            connection.malformed().report(() -> "HTTP/2 connection closed: more than " + RapidResets.MAX_RESETS
                    + " streams reset before they carried a message within " + RapidResets.WINDOW_SECONDS + " s");
            connection.goAway(Http2ErrorCode.ENHANCE_YOUR_CALM, "rapid resets");
        }
    }

    /** A stream the client reset before its thread started: nothing to do for it. */
    private enum ResetBeforeStart implements SubProtocolHandler {
        INSTANCE;

        @Override
        public void init() {
        }

        @Override
        public Http2StreamState streamState() {
            return Http2StreamState.CLOSED;
        }

        @Override
        public void rstStream(Http2RstStream rstStream) {
        }

        @Override
        public void windowUpdate(Http2WindowUpdate update) {
        }

        @Override
        public void data(Http2FrameHeader header, BufferData data) {
        }
    }
}
