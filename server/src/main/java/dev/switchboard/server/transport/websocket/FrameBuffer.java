package dev.switchboard.server.transport.websocket;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.google.protobuf.CodedOutputStream;
import dev.switchboard.server.transport.GrowingBuffer;
import dev.switchboard.server.transport.MessageCodec;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * The frames a connection's writer has encoded and not yet sent: messages are encoded straight into one array
 * (JSON or protobuf, no intermediate string or copy), and the whole batch leaves in one socket write. Confined to
 * the connection's writer thread. The array shrinks back after a large batch, so an idle connection holds little.
 */
public final class FrameBuffer extends GrowingBuffer {
    /** Made on the first JSON message: a connection that speaks protobuf never needs one. */
    private MessageCodec.JsonWriter json;

    /**
     * Appends a message as a text frame holding its proto3 JSON.
     */
    void json(ServerMessage message) throws IOException {
        int start = length;
        ensure(4);
        length += 4;                  // a header for a payload of up to 64 KiB: the usual size
        if (json == null) {
            json = MessageCodec.jsonWriter(this);
        }
        json.write(message);
        int payload = length - start - 4;
        int header = Frames.headerLength(payload);
        if (header != 4) {            // a short (ack) or very long message: move the payload next to its header
            ensure(header - 4);
            System.arraycopy(bytes, start + 4, bytes, start + header, payload);
            length += header - 4;
        }
        Frames.writeHeader(bytes, start, Frames.TEXT, payload);
    }

    /**
     * Appends a message as a binary frame holding its protobuf encoding.
     */
    void protobuf(ServerMessage message) throws IOException {
        int size = message.getSerializedSize();
        ensure(Frames.MAX_HEADER + size);
        length = Frames.writeHeader(bytes, length, Frames.BINARY, size);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes, length, size);
        message.writeTo(out);
        out.checkNoSpaceLeft();
        length += size;
    }

    /**
     * Appends a text frame.
     *
     * @param utf8   holds the payload, UTF-8
     * @param offset where it starts
     * @param count  its length
     */
    public void text(byte[] utf8, int offset, int count) {
        ensure(Frames.MAX_HEADER + count);
        length = Frames.writeHeader(bytes, length, Frames.TEXT, count);
        System.arraycopy(utf8, offset, bytes, length, count);
        length += count;
    }

    /**
     * Appends a close frame.
     *
     * @param code   the close code (RFC 6455 7.4)
     * @param reason a short reason
     */
    public void close(int code, String reason) {
        frame(Frames.close(code, reason));
    }

    /**
     * Appends a whole frame encoded elsewhere (a control frame).
     */
    void frame(byte[] frame) {
        write(frame, 0, frame.length);
    }

    /**
     * @return whether nothing waits to be sent
     */
    public boolean isEmpty() {
        return length == 0;
    }

    /** Forgets what was sent; lets go of a large array, and of the JSON writer's buffers. */
    public void clear() {
        if (json != null) {
            try {
                json.endBatch();
            } catch (IOException e) {
                throw new UncheckedIOException(e);  // not from this stream: it writes to an array
            }
        }
        reset();
    }
}
