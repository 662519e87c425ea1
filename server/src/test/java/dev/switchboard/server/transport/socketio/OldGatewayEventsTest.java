package dev.switchboard.server.transport.socketio;

import java.util.List;

import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.IceConnectionState;
import dev.switchboard.signaling.v1.Member;
import dev.switchboard.signaling.v1.NegotiationRole;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.PeerJoined;
import dev.switchboard.signaling.v1.RoomJoined;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalKind;
import dev.switchboard.signaling.v1.Welcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The old gateway's events and Socket.IO's packets, translated without a socket: what each event becomes for the
 * core, how old sequence numbers become session sequences, and what the core's answers become.
 */
class OldGatewayEventsTest {
    private static final Welcome ALICE = Welcome.newBuilder().setUserId("alice").putProfile("name", "Alice")
            .putProfile("userId", "not her id").build();

    private final ClientEvents events = new ClientEvents(new LegacySequences(4));

    private List<ClientMessage> translate(String json) throws Exception {
        ClientEvents.Translation translation = events.translate(Json.read(json));
        return assertInstanceOf(ClientEvents.Messages.class, translation, () -> translation.toString()).messages();
    }

    private String refusal(String json) throws Exception {
        return assertInstanceOf(ClientEvents.Refused.class, events.translate(Json.read(json))).reason();
    }

    @Test
    void oldSequencesCountPerTargetAndKindAndARepeatGetsItsFirstSessionSequence() throws Exception {
        ClientMessage offerToBob = translate("[\"offer\",{\"roomId\":\"r\",\"targetUserId\":\"bob\","
                + "\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"sequence\":1}]").getFirst();
        ClientMessage answerToBob = translate("[\"answer\",{\"roomId\":\"r\",\"targetUserId\":\"bob\","
                + "\"sdp\":\"v=0\",\"sequence\":1}]").getFirst();
        ClientMessage offerToCarol = translate("[\"offer\",{\"roomId\":\"r\",\"targetUserId\":\"carol\","
                + "\"sdp\":\"v=0\",\"sequence\":1}]").getFirst();
        ClientMessage again = translate("[\"offer\",{\"roomId\":\"r\",\"targetUserId\":\"bob\","
                + "\"sdp\":\"v=0\",\"sequence\":1}]").getFirst();
        assertEquals(List.of(1L, 2L, 3L, 1L), List.of(offerToBob.getSequence(), answerToBob.getSequence(),
                                                      offerToCarol.getSequence(), again.getSequence()));
        assertEquals("1", again.getRequestId(), "the old number travels in the request id, for the ack");
        assertEquals("v=0", offerToBob.getOffer().getSdp());
        ClientMessage unnumbered = translate("[\"offer\",{\"roomId\":\"r\",\"targetUserId\":\"bob\","
                + "\"sdp\":\"v=0\"}]").getFirst();
        assertEquals(0, unnumbered.getSequence(), "no old number: the core's unnumbered dedup applies");
    }

    @Test
    void theStreamingReaderAndTheTreeReadASignalAlike() throws Exception {
        for (String json : List.of(
                "[\"offer\",{\"roomId\":\"r\",\"targetUserId\":\"bob\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"},"
                        + "\"sequence\":3,\"messageId\":\"m\",\"extra\":[1,{\"a\":2}]}]",
                "[\"answer\",{\"roomId\":\"r\",\"targetUserId\":\"bob\",\"sdp\":\"v=0\"}]",
                "[\"iceCandidate\",{\"roomId\":\"r\",\"targetUserId\":\"bob\",\"candidate\":{\"candidate\":\"c\","
                        + "\"sdpMid\":null,\"sdpMLineIndex\":1,\"usernameFragment\":\"u\"},\"sequence\":9007199254740993}]")) {
            byte[] utf8 = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            SignalEvent streamed = SignalEvent.read(utf8, 0, utf8.length).orElseThrow();
            com.fasterxml.jackson.databind.JsonNode tree = Json.read(json);
            assertEquals(SignalEvent.of(tree.get(0).textValue(), tree.get(1)), streamed, json);
        }
        byte[] odd = "[\"offer\",{\"roomId\":\"r\"},\"more\"]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(SignalEvent.read(odd, 0, odd.length).isEmpty(), "an unusual shape takes the general path");
    }

    @Test
    void legacySequencesForgetTheOldestBeyondTheirCapacity() {
        LegacySequences sequences = new LegacySequences(2);
        long first = sequences.sessionSequence("bob", SignalKind.SIGNAL_KIND_OFFER, 1);
        sequences.sessionSequence("bob", SignalKind.SIGNAL_KIND_OFFER, 2);
        sequences.sessionSequence("bob", SignalKind.SIGNAL_KIND_OFFER, 3);
        assertTrue(sequences.sessionSequence("bob", SignalKind.SIGNAL_KIND_OFFER, 1) > first);
    }

    @Test
    void joinRoomWithMediaIsAJoinAndAMediaUpdate() throws Exception {
        List<ClientMessage> messages = translate("[\"joinRoom\",{\"roomId\":\"r\",\"audio\":true,\"video\":false}]");
        assertEquals("r", messages.get(0).getJoin().getRoomId());
        assertTrue(messages.get(1).getMediaUpdate().getMedia().getAudio());
        assertFalse(messages.get(1).getMediaUpdate().getMedia().getVideo());
        assertFalse(messages.get(1).getMediaUpdate().getMedia().hasScreen());
        assertTrue(translate("[\"toggleScreenShare\",{\"roomId\":\"r\",\"enabled\":true}]").getFirst()
                           .getMediaUpdate().getMedia().getScreen());
    }

    @Test
    void candidatesAndStatesKeepTheirFields() throws Exception {
        ClientMessage candidate = translate("[\"iceCandidate\",{\"roomId\":\"r\",\"targetUserId\":\"bob\","
                + "\"candidate\":{\"candidate\":\"candidate:1\",\"sdpMid\":\"0\",\"sdpMLineIndex\":2,"
                + "\"usernameFragment\":\"u\"}}]").getFirst();
        assertEquals(2, candidate.getIceCandidate().getSdpMlineIndex());
        assertEquals("u", candidate.getIceCandidate().getUsernameFragment());
        ClientMessage states = translate("[\"connectionStateUpdate\",{\"roomId\":\"r\",\"targetUserId\":\"bob\","
                + "\"connectionState\":\"failed\",\"iceConnectionState\":\"disconnected\"}]").getFirst();
        assertEquals(PeerConnectionState.PEER_CONNECTION_STATE_FAILED,
                     states.getConnectionStateUpdate().getConnectionState());
        assertEquals(IceConnectionState.ICE_CONNECTION_STATE_DISCONNECTED,
                     states.getConnectionStateUpdate().getIceConnectionState());
    }

    @Test
    void whatTheCoreHasNoMessageForIsRefusedWithAReason() throws Exception {
        assertTrue(refusal("[\"sendChatMessage\",{\"roomId\":\"r\"}]").contains("chat is not signaling"));
        assertTrue(refusal("[\"launchRockets\",{}]").contains("unknown event"));
        assertTrue(refusal("[\"offer\",{\"roomId\":\"r\"}]").contains("needs roomId, targetUserId and sdp"));
        assertTrue(refusal("[\"offer\",{\"roomId\":\"r\",\"targetUserId\":\"" + "b".repeat(129)
                                   + "\",\"sdp\":\"v=0\"}]").contains("offer.targetUserId is longer than 128"));
        assertTrue(refusal("[\"connectionStateUpdate\",{\"roomId\":\"r\",\"targetUserId\":\"b\","
                                   + "\"connectionState\":\"exploded\"}]").contains("state"));
        assertTrue(refusal("[\"joinRoom\"]").contains("object argument"));
        assertTrue(refusal("{}").contains("JSON array"));
    }

    @Test
    void packetsParseByTheProtocolsGrammar() throws Exception {
        SocketIoPacket event = SocketIoPacket.parse("2/webrtc,17[\"offer\",{}]");
        assertEquals(SocketIoPacket.Type.EVENT, event.type());
        assertEquals("/webrtc", event.namespace());
        assertEquals(17, event.ackId());
        assertEquals("[\"offer\",{}]", event.json());
        SocketIoPacket connect = SocketIoPacket.parse("0{\"token\":\"t\"}");
        assertEquals("/", connect.namespace());
        assertEquals(-1, connect.ackId());
        assertEquals(2, SocketIoPacket.parse("52-/webrtc,[\"x\"]").attachments());
        assertEquals("/webrtc", SocketIoPacket.parse("1/webrtc,").namespace());
        assertThrows(SocketIoPacket.MalformedPacketException.class, () -> SocketIoPacket.parse("9"));
        assertThrows(SocketIoPacket.MalformedPacketException.class, () -> SocketIoPacket.parse(""));
        assertThrows(SocketIoPacket.MalformedPacketException.class, () -> SocketIoPacket.parse("5/webrtc,[]"));
        assertEquals("4/webrtc,{\"message\":\"m\"}",
                     SocketIoPacket.encode(SocketIoPacket.Type.CONNECT_ERROR, "/webrtc", "{\"message\":\"m\"}"));
    }

    @Test
    void acksBecomeOfferAndAnswerAcksWithTheOldNumberAndCandidatesGetNone() throws Exception {
        ServerEvents encoder = new ServerEvents("/webrtc");
        encoder.encode(ack(SignalKind.SIGNAL_KIND_OFFER, "7", Ack.newBuilder().setDuplicate(true)), ALICE);
        encoder.encode(ack(SignalKind.SIGNAL_KIND_ANSWER, "", Ack.newBuilder().setSuccess(true)), ALICE);
        encoder.encode(ack(SignalKind.SIGNAL_KIND_OFFER, "8",
                           Ack.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_RATE_LIMITED)), ALICE);
        encoder.encode(ack(SignalKind.SIGNAL_KIND_ICE_CANDIDATE, "9", Ack.newBuilder().setSuccess(true)), ALICE);
        List<String> out = encoder.batch().texts();
        assertEquals(List.of("42/webrtc,[\"offerAck\",{\"success\":false,\"sequence\":7,\"reason\":\"duplicate_offer\"}]",
                             "42/webrtc,[\"answerAck\",{\"success\":true,\"sequence\":null}]",
                             "42/webrtc,[\"offerAck\",{\"success\":false,\"sequence\":8,\"reason\":\"rate_limited\"}]"),
                     out);
    }

    @Test
    void profilesSitBesideTheUserIdsOfJoinedRoomAndUserJoined() throws Exception {
        ServerEvents encoder = new ServerEvents("/webrtc");
        encoder.encode(ServerMessage.newBuilder().setRoomJoined(RoomJoined.newBuilder().setRoomId("r").addMembers(
                Member.newBuilder().setUserId("bob").setRole(NegotiationRole.NEGOTIATION_ROLE_POLITE)
                        .putProfile("name", "Bob"))).build(), ALICE);
        encoder.encode(ServerMessage.newBuilder().setPeerJoined(PeerJoined.newBuilder().setRoomId("r")
                .setUserId("carol").putProfile("avatar", "https://example.test/c.png")).build(), ALICE);
        assertEquals(List.of("42/webrtc,[\"joinedRoom\",{\"roomId\":\"r\",\"user\":{\"userId\":\"alice\","
                             + "\"name\":\"Alice\"},\"participants\":[{\"userId\":\"bob\",\"polite\":true,"
                             + "\"name\":\"Bob\"}],\"totalParticipants\":2}]",
                             "42/webrtc,[\"userJoined\",{\"userId\":\"carol\",\"roomId\":\"r\",\"polite\":false,"
                             + "\"avatar\":\"https://example.test/c.png\"}]"),
                     encoder.batch().texts(), "a profile field named like the event's own is left out");
    }

    private static ServerMessage ack(SignalKind kind, String requestId, Ack.Builder ack) {
        return ServerMessage.newBuilder().setAck(ack.setKind(kind).setRequestId(requestId)).build();
    }
}
