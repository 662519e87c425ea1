package dev.switchboard.server.transport.socketio;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * An {@code offer}, {@code answer} or {@code iceCandidate} event's fields, the relay's hot path: read straight from
 * the frame's bytes by a streaming parser ({@link #read}), or from the tree of an event that took the general
 * path ({@link #of}). A field absent or of another type is null; what that means, {@link ClientEvents} decides.
 *
 * @param name         the event
 * @param roomId       {@code roomId}
 * @param targetUserId {@code targetUserId}
 * @param sdp          {@code sdp.sdp}, or {@code sdp} itself when it is the text (offers and answers)
 * @param candidate    {@code candidate} (ICE candidates)
 * @param sequence     {@code sequence}, a whole number from 0 to 2^53
 */
record SignalEvent(String name, String roomId, String targetUserId, String sdp, Candidate candidate, Long sequence) {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(40).build())
            .build();

    /**
     * An RTCIceCandidateInit.
     *
     * @param candidate        the candidate line
     * @param sdpMid           its media stream tag, or null
     * @param sdpMLineIndex    its m-line, or null
     * @param usernameFragment its ICE generation, or null
     */
    record Candidate(String candidate, String sdpMid, Long sdpMLineIndex, String usernameFragment) {
    }

    /**
     * @param name an event's name
     * @return whether it is one of the three signals
     */
    static boolean isSignal(String name) {
        return name.equals("offer") || name.equals("answer") || name.equals("iceCandidate");
    }

    /**
     * Reads an EVENT packet's JSON array in one pass, when it is a signal of the usual shape.
     *
     * @return the signal; empty for any other event or shape, which then takes the general path (and its errors)
     */
    static Optional<SignalEvent> read(byte[] bytes, int offset, int length) {
        try (JsonParser json = FACTORY.createParser(bytes, offset, length)) {
            if (json.nextToken() != JsonToken.START_ARRAY || json.nextToken() != JsonToken.VALUE_STRING) {
                return Optional.empty();
            }
            String name = json.getText();
            if (!isSignal(name) || json.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            String roomId = null;
            String target = null;
            String sdp = null;
            Candidate candidate = null;
            Long sequence = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "roomId" -> roomId = text(json, value);
                    case "targetUserId" -> target = text(json, value);
                    case "sequence" -> sequence = count(json, value);
                    case "sdp" -> sdp = value == JsonToken.START_OBJECT ? description(json) : text(json, value);
                    case "candidate" -> candidate = value == JsonToken.START_OBJECT ? candidate(json) : skip(json);
                    default -> json.skipChildren();
                }
            }
            if (json.currentToken() != JsonToken.END_OBJECT || json.nextToken() != JsonToken.END_ARRAY
                    || json.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.of(new SignalEvent(name, roomId, target, sdp, candidate, sequence));
        } catch (IOException e) {
            return Optional.empty();    // the general path reads it again, and says what is wrong
        }
    }

    /**
     * @param name  the event's name, a signal's
     * @param data  its argument
     * @return the signal's fields
     */
    static SignalEvent of(String name, JsonNode data) {
        JsonNode sdp = data.get("sdp");
        JsonNode init = data.get("candidate");
        Candidate candidate = init != null && init.isObject()
                ? new Candidate(Json.text(init, "candidate").orElse(""), Json.text(init, "sdpMid").orElse(null),
                                Json.count(init, "sdpMLineIndex").orElse(null),
                                Json.text(init, "usernameFragment").orElse(null))
                : null;
        return new SignalEvent(name, Json.text(data, "roomId").orElse(null),
                               Json.text(data, "targetUserId").orElse(null),
                               (sdp != null && sdp.isObject() ? Json.text(sdp, "sdp") : Json.text(data, "sdp"))
                                       .orElse(null),
                               candidate, Json.count(data, "sequence").orElse(null));
    }

    private static String description(JsonParser json) throws IOException {
        String sdp = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if (field.equals("sdp")) {
                sdp = text(json, value);
            } else {
                json.skipChildren();
            }
        }
        return sdp;
    }

    private static Candidate candidate(JsonParser json) throws IOException {
        String line = "";
        String mid = null;
        Long index = null;
        String ufrag = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "candidate" -> line = value == JsonToken.VALUE_STRING ? json.getText() : "";
                case "sdpMid" -> mid = text(json, value);
                case "sdpMLineIndex" -> index = count(json, value);
                case "usernameFragment" -> ufrag = text(json, value);
                default -> json.skipChildren();
            }
        }
        return new Candidate(line, mid, index, ufrag);
    }

    private static String text(JsonParser json, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return json.getText();
        }
        json.skipChildren();
        return null;
    }

    private static Long count(JsonParser json, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT && json.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long number = json.getLongValue();
            return number >= 0 && number <= (1L << 53) ? number : null;
        }
        json.skipChildren();
        return null;
    }

    private static <T> T skip(JsonParser json) throws IOException {
        json.skipChildren();
        return null;
    }
}
