package dev.switchboard.server.transport.websocket;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.ServerMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The outbox's batches leave a WebSocket in one socket write: what Helidon's WebSocket session could not do (one
 * write per frame). The channel here records writes instead of making them.
 */
class WebSocketPeerLinkTest {
    @Test
    void aBatchOfMessagesInEitherFormIsOneWriteOfWholeFrames() throws Exception {
        Writes writes = new Writes();
        WebSocketPeerLink link = new WebSocketPeerLink(writes, Optional.empty(), Optional.empty());
        List<ServerMessage> batch = List.of(
                ServerMessage.newBuilder().setSequence(1).setAck(Ack.newBuilder().setSequence(7).setSuccess(true))
                        .build(),
                ServerMessage.newBuilder().setSequence(2).setOffer(Offer.newBuilder().setFromUserId("bob")
                                                                           .setSdp("v=0\r\n" + "a".repeat(300)))
                        .build(),
                ServerMessage.newBuilder().setSequence(3).setOffer(Offer.newBuilder().setSdp("b".repeat(70_000)))
                        .build());
        for (boolean binary : new boolean[] {false, true}) {
            writes.sent.clear();
            link.peerUsed(binary);
            for (ServerMessage message : batch) {
                link.write(message);
            }
            link.flush();
            assertEquals(1, writes.sent.size(), "one socket write for the batch");
            assertEquals(batch, frames(writes.sent.getFirst(), binary));
        }
    }

    /** Reads unmasked server frames back into messages. */
    private static List<ServerMessage> frames(byte[] bytes, boolean binary) throws IOException {
        List<ServerMessage> messages = new ArrayList<>();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        while (in.available() > 0) {
            int opcode = in.readUnsignedByte() & 0x0F;
            assertEquals(binary ? Frames.BINARY : Frames.TEXT, opcode);
            long length = in.readUnsignedByte();
            length = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
            byte[] payload = in.readNBytes((int) length);
            messages.add(binary ? ServerMessage.parseFrom(payload) : json(payload));
        }
        return messages;
    }

    private static ServerMessage json(byte[] payload) throws IOException {
        ServerMessage.Builder message = ServerMessage.newBuilder();
        org.curioswitch.common.protobuf.json.MessageMarshaller.builder()
                .register(ServerMessage.getDefaultInstance()).build()
                .mergeValue(new String(payload, StandardCharsets.UTF_8), message);
        return message.build();
    }

    /** Keeps what would have been written to the socket, one entry per write. */
    private static final class Writes implements WebSocketChannel {
        final List<byte[]> sent = new ArrayList<>();

        @Override
        public void send(byte[] frames, int length) {
            sent.add(java.util.Arrays.copyOf(frames, length));
        }

        @Override
        public void close() {
        }

        @Override
        public void closeAfterCloseFrame() {
        }

        @Override
        public long lastReadNanos() {
            return 0;
        }
    }
}
