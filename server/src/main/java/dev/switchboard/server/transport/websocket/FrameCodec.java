package dev.switchboard.server.transport.websocket;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * The two WebSocket frame forms of one protocol: proto3 JSON in text frames, protobuf in binary frames.
 * Unknown JSON fields are ignored, as unknown protobuf fields are, so newer clients work with older servers.
 */
final class FrameCodec {
    private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();
    private final JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();

    ClientMessage fromJson(String text) throws InvalidProtocolBufferException {
        ClientMessage.Builder message = ClientMessage.newBuilder();
        parser.merge(text, message);
        return message.build();
    }

    ClientMessage fromBinary(byte[] bytes) throws InvalidProtocolBufferException {
        return ClientMessage.parseFrom(bytes);
    }

    String toJson(ServerMessage message) {
        try {
            return printer.print(message);
        } catch (InvalidProtocolBufferException e) {
            // only thrown for Any fields with unknown types, which the protocol does not use
            throw new IllegalStateException("cannot print " + message.getPayloadCase(), e);
        }
    }
}
