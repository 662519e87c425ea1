package dev.switchboard.server.transport.socketio;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the JSON of Socket.IO packets as trees, within bounds: a packet is at most {@code maxPayload} long, and its
 * nesting and numbers are bounded too, so a hostile payload costs what its length does and no more.
 */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                                           .maxNestingDepth(16)
                                           .maxNumberLength(40)
                                           .build())
            .build());

    private Json() {
    }

    /**
     * @param text JSON text
     * @return its tree
     * @throws IOException when it is not JSON (or breaks a bound)
     */
    static JsonNode read(String text) throws IOException {
        JsonNode node = MAPPER.readTree(text);
        if (node == null) {
            throw new IOException("no JSON value");
        }
        return node;
    }

    /**
     * @param utf8   JSON text
     * @param offset where it starts
     * @param length its length
     * @return its tree
     * @throws IOException when it is not JSON (or breaks a bound)
     */
    static JsonNode read(byte[] utf8, int offset, int length) throws IOException {
        JsonNode node = MAPPER.readTree(utf8, offset, length);
        if (node == null || node.isMissingNode()) {
            throw new IOException("no JSON value");
        }
        return node;
    }

    /**
     * @param object a JSON object (or anything: then every field is absent)
     * @param field  a field name
     * @return the field's text, when it is a string
     */
    static Optional<String> text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    /**
     * @param object a JSON object
     * @param field  a field name
     * @return the field's value, when it is a whole number from 0 to 2^53 (what JavaScript counts exactly)
     */
    static Optional<Long> count(JsonNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            return Optional.empty();
        }
        long number = value.longValue();
        return number >= 0 && number <= (1L << 53) ? Optional.of(number) : Optional.empty();
    }

    /**
     * @param object a JSON object
     * @param field  a field name
     * @return the field's value, when it is a boolean
     */
    static Optional<Boolean> flag(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isBoolean() ? Optional.of(value.booleanValue()) : Optional.empty();
    }
}
