package dev.switchboard.server.transport.websocket;

import java.io.IOException;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;
import org.curioswitch.common.protobuf.json.MessageMarshaller;

/**
 * The two WebSocket frame forms of one protocol: proto3 JSON in text frames, protobuf in binary frames.
 * Unknown JSON fields are ignored, as unknown protobuf fields are, so newer clients work with older servers.
 * <p>
 * JSON goes through protobuf-jackson, which follows the proto3 JSON mapping exactly as protobuf's own
 * {@code JsonFormat} does (it is tested against it) but with marshallers generated per message type: the
 * benchmark measured {@code JsonFormat} at over half of the server's CPU on the browsers' relay path.
 */
final class FrameCodec {
    private static final MessageMarshaller JSON = MessageMarshaller.builder()
            .register(ClientMessage.getDefaultInstance())
            .register(ServerMessage.getDefaultInstance())
            .ignoringUnknownFields(true)
            .omittingInsignificantWhitespace(true)
            .build();

    /**
     * @throws IOException when the text is not a ClientMessage in proto3 JSON
     */
    ClientMessage fromJson(String text) throws IOException {
        ClientMessage.Builder message = ClientMessage.newBuilder();
        JSON.mergeValue(text, message);
        return message.build();
    }

    ClientMessage fromBinary(byte[] bytes) throws InvalidProtocolBufferException {
        return ClientMessage.parseFrom(bytes);
    }

    String toJson(ServerMessage message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (IOException e) {
            throw new IllegalStateException("cannot print " + message.getPayloadCase(), e);
        }
    }
}
