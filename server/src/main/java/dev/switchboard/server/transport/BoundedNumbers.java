package dev.switchboard.server.transport;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

/**
 * A JSON parser that refuses number text whose size or exponent is out of bounds before anyone turns it into a
 * {@code BigDecimal}.
 * <p>
 * protobuf-jackson reads a number field the cheap way when it can, and otherwise (an exponent, a fraction, a
 * number in a string, a value past {@code long}) builds {@code new BigDecimal(getTextCharacters(), ...)} and
 * converts it exactly, which costs time and memory in proportion to the exponent. Two doors are guarded: every
 * number token as the parser reaches it (whatever field it is in, known or not), and {@link #getTextCharacters()},
 * protobuf-jackson's only way to that fallback, which also catches a number sent as a string. Text longer than
 * {@value MessageCodec#MAX_NUMBER_CHARS} characters or with an exponent beyond ±{@value #MAX_EXPONENT} (past the
 * range of a double, let alone of the protocol's integers) is a parse error, found by reading a few dozen
 * characters at most.
 */
final class BoundedNumbers extends JsonParserDelegate {
    /** Larger exponents exceed every numeric type the protocol has, double included. */
    static final int MAX_EXPONENT = 400;

    BoundedNumbers(JsonParser parser) {
        super(parser);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        return checked(delegate.nextToken());
    }

    @Override
    public JsonToken nextValue() throws IOException {
        return checked(delegate.nextValue());
    }

    @Override
    public char[] getTextCharacters() throws IOException {
        char[] text = delegate.getTextCharacters();
        check(text, delegate.getTextOffset(), delegate.getTextLength());
        return text;
    }

    private JsonToken checked(JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            check(delegate.getTextCharacters(), delegate.getTextOffset(), delegate.getTextLength());
        }
        return token;
    }

    private void check(char[] text, int offset, int length) throws JsonParseException {
        if (!bounded(text, offset, length)) {
            throw new JsonParseException(delegate, "number out of range: "
                    + (length > MessageCodec.MAX_NUMBER_CHARS ? "longer than " + MessageCodec.MAX_NUMBER_CHARS
                    + " characters" : "exponent beyond " + MAX_EXPONENT));
        }
    }

    /**
     * @return whether the text is short enough, and its exponent (if any) small enough, to convert cheaply
     */
    static boolean bounded(char[] text, int offset, int length) {
        if (length > MessageCodec.MAX_NUMBER_CHARS) {
            return false;
        }
        for (int i = offset; i < offset + length; i++) {
            if (text[i] == 'e' || text[i] == 'E') {
                int exponent = 0;
                for (int j = i + 1; j < offset + length; j++) {
                    char c = text[j];
                    if (c >= '0' && c <= '9') {
                        exponent = exponent * 10 + (c - '0');
                        if (exponent > MAX_EXPONENT) {
                            return false;
                        }
                    }
                }
                return true;
            }
        }
        return true;
    }
}
