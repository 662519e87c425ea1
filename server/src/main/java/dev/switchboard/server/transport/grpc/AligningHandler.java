package dev.switchboard.server.transport.grpc;

import java.util.concurrent.locks.ReentrantLock;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.http2.Http2ErrorCode;
import io.helidon.http.http2.Http2Flag;
import io.helidon.http.http2.Http2FrameHeader;
import io.helidon.http.http2.Http2FrameTypes;
import io.helidon.http.http2.Http2RstStream;
import io.helidon.http.http2.Http2Settings;
import io.helidon.http.http2.Http2StreamState;
import io.helidon.http.http2.Http2StreamWriter;
import io.helidon.http.http2.Http2WindowUpdate;
import io.helidon.webserver.http2.spi.Http2SubProtocolSelector.SubProtocolHandler;

/**
 * One gRPC stream's side of {@link AlignedGrpcSelector}: forwards the stream's DATA bytes to Helidon's handler in
 * chunks that never split a message prefix, enforces the message size limit before anything is allocated, and for
 * the signaling stream parses each uncompressed message itself ({@link InboundFrame#parsed}).
 */
final class AligningHandler implements SubProtocolHandler {
    private static final int PREFIX_BYTES = 5;
    /** An uncompressed message of no bytes, as gRPC frames it. */
    private static final byte[] EMPTY_MESSAGE = new byte[PREFIX_BYTES];

    private final SubProtocolHandler delegate;
    private final int streamId;
    private final int maxMessageBytes;
    private final Http2StreamWriter writer;
    private final Http2Settings clientSettings;
    private final boolean compressionNegotiated;
    /** Whether this handler parses the messages (the signaling stream's), or forwards their bytes. */
    private final boolean parseHere;
    private final ConnectionActivity connection;
    private volatile boolean carriedMessage;
    private final byte[] prefix = new byte[PREFIX_BYTES];
    private int prefixBytes;
    private long bodyRemaining;
    /** The body of the message being read, when this handler parses it; null otherwise. */
    private byte[] body;
    private boolean reset;
    /**
     * Orders the call's start and a RST_STREAM: Helidon 4.2.6 starts the call ({@link #init}) on the stream's thread
     * and delivers a RST_STREAM ({@link #rstStream}) on the connection's, and its handler dereferences the call's
     * listener, null until the start, so a reset that overtook the start crashed the whole connection
     * (GOAWAY INTERNAL_ERROR for every stream on it). Held only across the start of one call.
     */
    private final ReentrantLock startLock = new ReentrantLock();
    // guarded by startLock
    private boolean started;
    private boolean resetBeforeStart;

    AligningHandler(SubProtocolHandler delegate, int streamId, int maxMessageBytes, Http2StreamWriter writer,
                    Http2Settings clientSettings, boolean compressionNegotiated, boolean parseHere,
                    ConnectionActivity connection) {
        this.delegate = delegate;
        this.compressionNegotiated = compressionNegotiated;
        this.parseHere = parseHere;
        this.connection = connection;
        this.streamId = streamId;
        this.maxMessageBytes = maxMessageBytes;
        this.writer = writer;
        this.clientSettings = clientSettings;
    }

    /** Starts the call, unless the client reset the stream first: then there is nothing to start. */
    @Override
    public void init() {
        startLock.lock();
        try {
            if (!resetBeforeStart) {
                delegate.init();
                started = true;
            }
        } finally {
            startLock.unlock();
        }
    }

    @Override
    public Http2StreamState streamState() {
        return delegate.streamState();
    }

    @Override
    public void rstStream(Http2RstStream rstStream) {
        startLock.lock();
        try {
            if (started) {
                delegate.rstStream(rstStream);
            } else {
                resetBeforeStart = true;    // the call never starts (see startLock)
            }
        } finally {
            startLock.unlock();
        }
        if (!carriedMessage) {
            AlignedGrpcSelector.rapidReset(connection);
        }
    }

    @Override
    public void windowUpdate(Http2WindowUpdate update) {
        delegate.windowUpdate(update);
    }

    @Override
    public void data(Http2FrameHeader header, BufferData data) {
        if (reset) {
            return;     // frames the client sent before it saw our reset
        }
        boolean endOfStream = header.flags(Http2FrameTypes.DATA).endOfStream();
        boolean forwardedEnd = false;
        while (data.available() > 0) {
            BufferData chunk;
            if (bodyRemaining > 0 && body != null) {
                int take = (int) Math.min(bodyRemaining, data.available());
                data.read(body, body.length - (int) bodyRemaining, take);
                bodyRemaining -= take;
                if (bodyRemaining > 0) {
                    continue;   // the rest of the message comes in the next DATA frame
                }
                chunk = parsed();
            } else if (bodyRemaining > 0) {
                int take = (int) Math.min(bodyRemaining, data.available());
                chunk = BufferData.create(take);
                chunk.write(data, take);
                bodyRemaining -= take;
            } else {
                while (prefixBytes < PREFIX_BYTES && data.available() > 0) {
                    prefix[prefixBytes++] = (byte) data.read();
                }
                if (prefixBytes < PREFIX_BYTES) {
                    break;      // the rest of the prefix comes in the next DATA frame
                }
                long length = ((prefix[1] & 0xFFL) << 24) | ((prefix[2] & 0xFFL) << 16)
                        | ((prefix[3] & 0xFFL) << 8) | (prefix[4] & 0xFFL);
                if (length > maxMessageBytes) {
                    reset(Http2ErrorCode.ENHANCE_YOUR_CALM, "a message of " + length
                            + " bytes is over the limit of " + maxMessageBytes);
                    return;
                }
                if (prefix[0] != 0 && (prefix[0] != 1 || !compressionNegotiated)) {
                    // Helidon's handler would log the whole frame as hex with a stack trace, and end the call
                    // with OK; the gRPC spec's answer to a compressed message without an encoding is INTERNAL
                    reset(Http2ErrorCode.PROTOCOL, "a message flagged " + (prefix[0] == 1
                            ? "compressed, and no grpc-encoding was negotiated" : "with compression flag "
                            + (prefix[0] & 0xFF)));
                    return;
                }
                carriedMessage = true;
                prefixBytes = 0;
                if (prefix[0] == 0 && parseHere) {
                    body = new byte[(int) length];
                    bodyRemaining = length;
                    int take = (int) Math.min(length, data.available());
                    data.read(body, 0, take);
                    bodyRemaining -= take;
                    if (bodyRemaining > 0) {
                        continue;
                    }
                    chunk = parsed();
                } else {
                    // compressed, or another method's: Helidon's handler delivers it, the marshaller parses it
                    int take = (int) Math.min(length, data.available());
                    chunk = BufferData.create(PREFIX_BYTES + take);
                    chunk.write(prefix);
                    chunk.write(data, take);
                    bodyRemaining = length - take;
                }
            }
            boolean last = endOfStream && data.available() == 0;
            forward(chunk, last);
            forwardedEnd = last;
        }
        if (endOfStream && !forwardedEnd) {
            forward(BufferData.empty(), true);
        }
    }

    /**
     * Resets the stream: the client gets a status for the code (ENHANCE_YOUR_CALM: RESOURCE_EXHAUSTED,
     * PROTOCOL_ERROR: INTERNAL), the call ends as if the client had cancelled it, and the connection's log
     * gets at most one line about it.
     */
    private void reset(Http2ErrorCode code, String why) {
        reset = true;
        connection.malformed().report(() -> "gRPC stream " + streamId + " reset (" + code + "): " + why);
        Http2RstStream rst = new Http2RstStream(code);
        writer.write(rst.toFrameData(clientSettings, streamId, Http2Flag.NoFlags.create()));
        delegate.rstStream(new Http2RstStream(Http2ErrorCode.CANCEL));
    }

    /**
     * The message in {@link #body} is whole: it is parsed here, and Helidon's handler gets an empty message to
     * deliver, for which the marshaller takes the parsed one.
     */
    private BufferData parsed() {
        InboundFrame.parsed(body);
        body = null;
        return BufferData.create(EMPTY_MESSAGE);
    }

    private void forward(BufferData chunk, boolean endOfStream) {
        try {
            forwardTo(chunk, endOfStream);
        } finally {
            InboundFrame.handedOver();     // a message Helidon's handler did not take (the call ended) is dropped
        }
    }

    private void forwardTo(BufferData chunk, boolean endOfStream) {
        Http2FrameHeader header = Http2FrameHeader.create(chunk.available(),
                                                          Http2FrameTypes.DATA,
                                                          Http2Flag.DataFlags.create(
                                                                  endOfStream ? Http2Flag.END_OF_STREAM : 0),
                                                          streamId);
        delegate.data(header, chunk);
    }
}
