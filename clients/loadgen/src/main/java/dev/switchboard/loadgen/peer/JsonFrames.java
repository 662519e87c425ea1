package dev.switchboard.loadgen.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;

/**
 * JSON text frames written and read with Jackson's streaming API straight to and from Netty buffers: no String
 * copies, and no tree of the whole message (reading one into a tree cost the load generator more CPU than the
 * servers it measures spent relaying it). Every protocol is read the same way, so none is favoured.
 */
final class JsonFrames {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Writes JSON into {@code out}. */
    interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    private JsonFrames() {
    }

    /** {@code prefix} (ASCII, e.g. Socket.IO's packet type) then the JSON that {@code writer} produces. */
    static ByteBuf write(ByteBuf out, String prefix, Writer writer) {
        for (int i = 0; i < prefix.length(); i++) {
            out.writeByte(prefix.charAt(i));
        }
        try (JsonGenerator json = FACTORY.createGenerator((OutputStream) new ByteBufOutputStream(out))) {
            writer.write(json);
        } catch (IOException e) {
            out.release();
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Reads the JSON in {@code in} from its reader index on, keeping only the scalar values at the paths wanted:
     * object fields joined by dots, array elements by their index ({@code payload.sdp.sdp}, {@code 1.sdp.sdp}).
     * Every field of the top level is recorded as present, with its value when scalar.
     *
     * @param in     the frame's content
     * @param wanted the paths whose values to keep
     * @return path to value (text as it stands in the JSON, numbers and booleans as written)
     */
    static Map<String, String> read(ByteBuf in, Set<String> wanted) throws IOException {
        Map<String, String> found = new HashMap<>();
        ArrayDeque<Container> open = new ArrayDeque<>();
        try (JsonParser json = FACTORY.createParser((InputStream) new ByteBufInputStream(in))) {
            JsonToken token;
            while ((token = json.nextToken()) != null) {
                switch (token) {
                    case FIELD_NAME -> {
                    }
                    case START_OBJECT, START_ARRAY -> {
                        String name = open.isEmpty() ? null : open.peekLast().nameOf(json);
                        open.addLast(new Container(open.isEmpty() ? "" : pathOf(open, name),
                                                   token == JsonToken.START_ARRAY));
                        if (open.size() == 2) {
                            found.put(name, "");    // a top-level field
                        }
                    }
                    case END_OBJECT, END_ARRAY -> {
                        open.removeLast();
                        if (!open.isEmpty()) {
                            open.peekLast().ended();
                        }
                    }
                    default -> {
                        Container within = open.peekLast();
                        String key = pathOf(open, within.nameOf(json));
                        if (open.size() == 1 || wanted.contains(key)) {
                            found.put(key, json.getValueAsString());
                        }
                        within.ended();
                    }
                }
            }
        }
        return found;
    }

    private static String pathOf(ArrayDeque<Container> open, String name) {
        String prefix = open.peekLast().path;
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** An object or array being read, and where it is. */
    private static final class Container {
        private final String path;
        private final boolean array;
        private int next;

        Container(String path, boolean array) {
            this.path = path;
            this.array = array;
        }

        /** The name of the value that starts now: its field name, or its index in this array. */
        String nameOf(JsonParser json) throws IOException {
            return array ? Integer.toString(next) : json.currentName();
        }

        /** A value within this container ended. */
        void ended() {
            if (array) {
                next++;
            }
        }
    }
}
