package dev.switchboard.server.transport.grpc;

import java.io.InputStream;
import java.util.concurrent.atomic.LongAdder;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.server.transport.MessageCodec;
import dev.switchboard.signaling.v1.ClientMessage;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;

/**
 * One message read from the gRPC stream: a {@code ClientMessage}, or why its bytes were not one.
 * <p>
 * gRPC normally fails the whole call when a request does not parse; the signaling protocol instead answers a
 * malformed frame with {@code error INVALID_MESSAGE} and lets the session go on, on gRPC as on WebSocket.
 *
 * @param message   the parsed message, or null
 * @param malformed why the frame did not parse, or null
 */
record InboundFrame(ClientMessage message, String malformed) {
    /** A message {@link AlignedGrpcSelector} parsed, for the marshaller called next on the same thread. */
    private static final ThreadLocal<InboundFrame> PARSED = new ThreadLocal<>();

    /**
     * Parses a message's bytes now, for the marshaller to take ({@link #handOver}).
     *
     * @param body the message, whole and uncompressed
     */
    static void parsed(byte[] body) {
        PARSED.set(of(body));
    }

    /** Clears what the marshaller did not take. */
    static void handedOver() {
        PARSED.remove();
    }

    private static InboundFrame of(byte[] body) {
        try {
            return new InboundFrame(MessageCodec.fromProtobuf(body, 0, body.length), null);
        } catch (InvalidProtocolBufferException e) {
            return malformed(e);
        }
    }

    private static InboundFrame malformed(InvalidProtocolBufferException e) {
        return new InboundFrame(null, "not a ClientMessage in protobuf: " + e.getMessage());
    }

    /**
     * Parses like the generated stub's marshaller, but turns a parse failure into a value instead of a failure,
     * and drops fields the schema does not define ({@link MessageCodec}).
     */
    static final class Marshaller implements MethodDescriptor.Marshaller<InboundFrame> {
        private static final MethodDescriptor.Marshaller<ClientMessage> STRICT =
                ProtoUtils.marshaller(ClientMessage.getDefaultInstance());

        @Override
        public InputStream stream(InboundFrame frame) {
            return STRICT.stream(frame.message());
        }

        /** Slow parses: of compressed messages, which Helidon's handler decompresses into the stream. */
        static final LongAdder STREAM_PARSES = new LongAdder();

        @Override
        public InboundFrame parse(InputStream stream) {
            InboundFrame parsed = PARSED.get();
            if (parsed != null) {
                PARSED.remove();
                return parsed;      // the message Helidon's handler delivers is the empty stand-in for this one
            }
            STREAM_PARSES.increment();
            try {
                return new InboundFrame(MessageCodec.fromProtobuf(stream), null);
            } catch (InvalidProtocolBufferException e) {
                return malformed(e);
            }
        }
    }
}
