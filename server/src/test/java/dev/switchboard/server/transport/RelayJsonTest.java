package dev.switchboard.server.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import com.google.protobuf.ByteString;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.AckRange;
import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.PeerJoined;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The relay's JSON writer writes exactly the bytes of the general one (protobuf-jackson), for every field of every
 * message it writes, including strings that need escaping and characters outside ASCII.
 */
class RelayJsonTest {
    private static final String[] PIECES = {"v=0\r\n", "a=ice-ufrag:", "\r", "\n", "\"", "\\", "\t", "\b", "\f",
                                            "\u0000", "\u0001",
                                            "\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000",
                                            "\u001f", "\u007f", "é", "日本", "😀", "/", "<>&'=", " ", "x"};
    private final Random random = new Random(42);
    private final ByteArrayOutputStream relay = new ByteArrayOutputStream();
    private final MessageCodec.JsonWriter writer = MessageCodec.jsonWriter(relay);

    @Test
    void writesWhatTheGeneralWriterWrites() throws IOException {
        for (int i = 0; i < 2_000; i++) {
            for (ServerMessage message : new ServerMessage[] {offer(), answer(), candidate(), ack(), range()}) {
                assertSame(message);
            }
        }
    }

    @Test
    void writesEmptyAndDefaultFieldsAsTheGeneralWriterDoes() throws IOException {
        assertSame(ServerMessage.newBuilder().setOffer(Offer.getDefaultInstance()).build());
        assertSame(ServerMessage.newBuilder().setAck(Ack.getDefaultInstance()).build());
        assertSame(ServerMessage.newBuilder().setAckRange(AckRange.getDefaultInstance()).build());
        assertSame(ServerMessage.newBuilder().setIceCandidate(IceCandidate.newBuilder().setSdpMlineIndex(0)).build());
        assertSame(ServerMessage.newBuilder().setSequence(-1).setAck(Ack.newBuilder().setSequence(-1)).build());
    }

    @Test
    void leavesOtherMessagesToTheGeneralWriter() throws IOException {
        assertSame(ServerMessage.newBuilder().setSequence(3).setPeerJoined(PeerJoined.newBuilder().setUserId("b"))
                           .build());
    }

    private void assertSame(ServerMessage message) throws IOException {
        ByteArrayOutputStream general = new ByteArrayOutputStream();
        MessageCodec.toJson(message, general);
        relay.reset();      // one writer for every message, as a connection has, in batches of one and more
        writer.write(message);
        if (random.nextBoolean()) {
            writer.endBatch();
        }
        assertEquals(general.toString(StandardCharsets.UTF_8), relay.toString(StandardCharsets.UTF_8));
    }

    private ServerMessage.Builder envelope() {
        ServerMessage.Builder message = ServerMessage.newBuilder();
        if (random.nextBoolean()) {
            message.setSequence(random.nextLong() & Long.MAX_VALUE);
        }
        if (random.nextBoolean()) {
            message.setRequestId(text(6));
        }
        return message;
    }

    private ServerMessage offer() {
        Offer.Builder offer = Offer.newBuilder().setRoomId(text(3)).setTargetUserId(text(3)).setFromUserId(text(3));
        if (random.nextBoolean()) {
            offer.setSdpBytes(ByteString.copyFromUtf8(text(60)));   // as the relay sets it
        } else {
            offer.setSdp(text(60));
        }
        return envelope().setOffer(offer).build();
    }

    private ServerMessage answer() {
        return envelope().setAnswer(Answer.newBuilder().setRoomId(text(3)).setTargetUserId(text(2))
                                            .setSdpBytes(ByteString.copyFromUtf8(text(40))).setFromUserId(text(2)))
                .build();
    }

    private ServerMessage candidate() {
        IceCandidate.Builder candidate = IceCandidate.newBuilder().setRoomId(text(2)).setTargetUserId(text(2))
                .setCandidate(text(10)).setSdpMid(text(1)).setUsernameFragment(text(1)).setFromUserId(text(2));
        if (random.nextBoolean()) {
            candidate.setSdpMlineIndex(random.nextInt(3) == 0 ? -1 : random.nextInt(5));
        }
        return envelope().setIceCandidate(candidate).build();
    }

    private ServerMessage ack() {
        return envelope().setAck(Ack.newBuilder()
                                         .setKind(SignalKind.forNumber(random.nextInt(4)))
                                         .setSequence(random.nextLong())
                                         .setRequestId(text(2))
                                         .setSuccess(random.nextBoolean())
                                         .setDuplicate(random.nextBoolean())
                                         .setStale(random.nextBoolean())
                                         .setErrorCode(random.nextBoolean() ? ErrorCode.ERROR_CODE_UNSPECIFIED
                                                               : ErrorCode.ERROR_CODE_PEER_NOT_FOUND))
                .build();
    }

    private ServerMessage range() {
        return envelope().setAckRange(AckRange.newBuilder().setFirstSequence(random.nextInt(1000))
                                              .setLastSequence(random.nextLong())).build();
    }

    private String text(int pieces) {
        StringBuilder text = new StringBuilder();
        int count = random.nextInt(pieces + 1);
        for (int i = 0; i < count; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
