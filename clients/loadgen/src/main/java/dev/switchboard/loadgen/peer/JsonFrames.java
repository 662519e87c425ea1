package dev.switchboard.loadgen.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;

/** JSON text frames written and read with Jackson straight to and from Netty buffers: no String copies. */
final class JsonFrames {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

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

    /** Parses the JSON in {@code in} from its reader index on. */
    static JsonNode read(ByteBuf in) throws IOException {
        return MAPPER.readTree((InputStream) new ByteBufInputStream(in));
    }
}
