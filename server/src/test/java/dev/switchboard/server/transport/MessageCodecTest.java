package dev.switchboard.server.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.Offer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoding keeps only what the schema defines and never lets a number's text cost more than reading it.
 */
class MessageCodecTest {
    /**
     * Each of these cost seconds of CPU (and hundreds of MiB) when protobuf-jackson turned it into an exact
     * BigInteger; refused, the whole set takes microseconds. The timeout is a deadline, not a measurement.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"sequence\":1e10000000,\"ping\":{}}",
            "{\"sequence\":\"1e10000000\",\"ping\":{}}",
            "{\"sequence\":1E+999999999,\"ping\":{}}",
            "{\"sequence\":1e-10000000,\"ping\":{}}",
            "{\"lastReceivedSequence\":9.9e10000000,\"ping\":{}}",
            "{\"ping\":{\"clientTimeMs\":1e10000000}}",
            "{\"ping\":{\"clientTimeMs\":\"-1e10000000\"}}",
            "{\"iceCandidate\":{\"roomId\":\"r\",\"targetUserId\":\"b\",\"candidate\":\"c\",\"sdpMlineIndex\":1e10000000}}",
            "{\"iceCandidate\":{\"sdp_mline_index\":\"1e10000000\"}}",
            "{\"hello\":{\"userId\":\"a\",\"lastReceivedSequence\":1e10000000}}",
            "{\"connectionStateUpdate\":{\"connectionState\":1e10000000}}",
            "{\"sequence\":100000000000000000000000000000000000000000000000000,\"ping\":{}}"})
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void aNumberOfAnySizeOrExponentIsRefusedAtOnce(String json) {
        for (int i = 0; i < 1000; i++) {
            assertThrows(IOException.class, () -> MessageCodec.fromJson(json.getBytes(StandardCharsets.UTF_8), 0,
                                                                         json.length()));
            assertThrows(IOException.class, () -> MessageCodec.fromJson(json));
        }
    }

    @Test
    void ordinaryNumbersInEveryFormTheMappingAllowsStillParse() throws IOException {
        assertEquals(12, MessageCodec.fromJson("{\"sequence\":12,\"ping\":{}}").getSequence());
        assertEquals(12, MessageCodec.fromJson("{\"sequence\":\"12\",\"ping\":{}}").getSequence());
        assertEquals(1200, MessageCodec.fromJson("{\"sequence\":1.2e3,\"ping\":{}}").getSequence());
        assertEquals(-1L, MessageCodec.fromJson("{\"sequence\":\"18446744073709551615\",\"ping\":{}}")
                .getSequence(), "the largest uint64");
        assertEquals(3, MessageCodec.fromJson("{\"iceCandidate\":{\"sdpMlineIndex\":3}}")
                .getIceCandidate().getSdpMlineIndex());
    }

    @Test
    void unknownProtobufFieldsAreDroppedEvenWithAKnownNumberAndAnotherWireType() throws IOException {
        // field 4 (from_user_id) as a varint: protobuf-java keeps it as an unknown field; protobufjs, which reads a
        // field by its number, would take the value after it as a string
        Offer offer = Offer.newBuilder().setRoomId("r").setTargetUserId("bob").setSdp("v=0").build();
        ByteString smuggled = offer.toByteString().concat(unknownVarint(4, 7)).concat(unknownVarint(99, 1));
        ClientMessage message = ClientMessage.newBuilder()
                .setOffer(Offer.parseFrom(smuggled))
                .build();
        assertTrue(message.getOffer().getUnknownFields().hasField(4), "the plain parser keeps it");
        byte[] bytes = message.toByteArray();
        ClientMessage decoded = MessageCodec.fromProtobuf(bytes, 0, bytes.length);
        assertTrue(decoded.getOffer().getUnknownFields().asMap().isEmpty());
        assertTrue(decoded.getUnknownFields().asMap().isEmpty());
        assertEquals("v=0", decoded.getOffer().getSdp());
    }

    private static ByteString unknownVarint(int field, long value) throws IOException {
        ByteString.Output out = ByteString.newOutput();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeUInt64(field, value);
        coded.flush();
        return out.toByteString();
    }
}
