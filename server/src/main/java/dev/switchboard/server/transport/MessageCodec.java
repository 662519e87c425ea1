package dev.switchboard.server.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;
import org.curioswitch.common.protobuf.json.MessageMarshaller;

/**
 * The two encodings of the protocol, as every transport reads and writes them: protobuf, and proto3 JSON.
 * <p>
 * Decoding keeps only what the schema defines. Unknown protobuf fields are dropped, not carried along: a relayed
 * offer must not smuggle a field that some decoder (protobufjs keeps the last occurrence) would read as
 * {@code from_user_id}. Unknown JSON fields are ignored, so newer clients work with older servers.
 * <p>
 * JSON goes through protobuf-jackson, which follows the proto3 JSON mapping exactly as protobuf's own
 * {@code JsonFormat} does but with marshallers generated per message type (JsonFormat cost over half of the
 * server's CPU on the browsers' relay path). Its number fallback builds a {@code BigDecimal} from the text and
 * then an exact {@code BigInteger}: {@code 1e10000000} took seconds of CPU and hundreds of MiB. Every number
 * (and every string read as a number) therefore passes {@link BoundedNumbers} first.
 */
public final class MessageCodec {
    /** Longest number text accepted: uint64 has 20 digits; room for a sign, a fraction and an exponent. */
    static final int MAX_NUMBER_CHARS = 40;

    private static final Parser<ClientMessage> PROTOBUF = DiscardUnknownFieldsParser.wrap(ClientMessage.parser());
    private static final JsonFactory JSON_FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                                           .maxNumberLength(MAX_NUMBER_CHARS)
                                           .maxNestingDepth(16)
                                           .build())
            // one pool for every thread: Jackson's default keeps buffers per thread, and every connection has
            // virtual threads of its own, each of which would keep its own until it ends
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();
    private static final MessageMarshaller JSON = MessageMarshaller.builder()
            .register(ClientMessage.getDefaultInstance())
            .register(ServerMessage.getDefaultInstance())
            .ignoringUnknownFields(true)
            .omittingInsignificantWhitespace(true)
            .build();

    private MessageCodec() {
    }

    /**
     * @param bytes  protobuf encoding of a ClientMessage
     * @param offset where it starts
     * @param length its length
     * @return the message, without any field the schema does not define
     * @throws InvalidProtocolBufferException when the bytes are not a ClientMessage
     */
    public static ClientMessage fromProtobuf(byte[] bytes, int offset, int length)
            throws InvalidProtocolBufferException {
        return PROTOBUF.parseFrom(bytes, offset, length);
    }

    /**
     * @param stream protobuf encoding of a ClientMessage, to its end
     * @return the message, without any field the schema does not define
     * @throws InvalidProtocolBufferException when the bytes are not a ClientMessage
     */
    public static ClientMessage fromProtobuf(InputStream stream) throws InvalidProtocolBufferException {
        return PROTOBUF.parseFrom(stream);
    }

    /**
     * @param utf8   proto3 JSON of a ClientMessage, UTF-8
     * @param offset where it starts
     * @param length its length in bytes
     * @return the message
     * @throws IOException when the text is not a ClientMessage in proto3 JSON, or holds a number out of bounds
     */
    public static ClientMessage fromJson(byte[] utf8, int offset, int length) throws IOException {
        try (JsonParser parser = new BoundedNumbers(JSON_FACTORY.createParser(utf8, offset, length))) {
            return fromJson(parser);
        }
    }

    /**
     * @param text proto3 JSON of a ClientMessage
     * @return the message
     * @throws IOException when the text is not a ClientMessage in proto3 JSON, or holds a number out of bounds
     */
    public static ClientMessage fromJson(String text) throws IOException {
        try (JsonParser parser = new BoundedNumbers(JSON_FACTORY.createParser(text))) {
            return fromJson(parser);
        }
    }

    private static ClientMessage fromJson(JsonParser parser) throws IOException {
        ClientMessage.Builder message = ClientMessage.newBuilder();
        JSON.mergeValue(parser, message);
        if (parser.nextToken() != null) {
            throw new InvalidProtocolBufferException("more than one JSON value in the frame");
        }
        return message.build();
    }

    /**
     * Writes a message's proto3 JSON (camelCase names, no whitespace) as UTF-8.
     *
     * @param message the message
     * @param out     where to write it
     * @throws IOException when {@code out} fails
     */
    public static void toJson(ServerMessage message, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON_FACTORY.createGenerator(out)) {
            JSON.writeValue(message, json);
        }
    }

    /**
     * @param out where the writer writes, message after message
     * @return a writer of proto3 JSON for one connection's writer thread, faster than {@link #toJson} for the
     *         messages a relay sends most
     */
    public static JsonWriter jsonWriter(OutputStream out) {
        return new JsonWriter(out);
    }

    /**
     * Writes ServerMessages as proto3 JSON to one stream, for one thread: the scratch arrays of its escaping kept
     * from message to message, and one generator for a batch of messages ({@link #endBatch} returns its buffers
     * to the shared pool, so an idle connection holds none).
     */
    public static final class JsonWriter {
        private final JsonEscapes escapes = new JsonEscapes();
        private final OutputStream out;
        private JsonGenerator json;

        private JsonWriter(OutputStream out) {
            this.out = out;
        }

        /**
         * Writes a message's proto3 JSON (camelCase names, no whitespace) as UTF-8, the same bytes as
         * {@link MessageCodec#toJson(ServerMessage, OutputStream)}, and flushes it to the stream.
         *
         * @param message the message
         * @throws IOException when the stream fails
         */
        public void write(ServerMessage message) throws IOException {
            if (json == null) {
                json = JSON_FACTORY.createGenerator(out);
                json.setRootValueSeparator(null);     // messages follow each other with nothing between them
            }
            if (!RelayJson.write(message, json, escapes)) {
                JSON.writeValue(message, json);
            }
            json.flush();
        }

        /**
         * The batch of messages written is complete.
         *
         * @throws IOException when the stream fails
         */
        public void endBatch() throws IOException {
            if (json != null) {
                json.close();
                json = null;
            }
        }
    }

    /**
     * @param message the message
     * @return its proto3 JSON
     */
    public static String toJson(ServerMessage message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException("cannot print " + message.getPayloadCase(), e);
        }
    }
}
