package dev.switchboard.server;

import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalKind;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ACK;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.testkit.Messages.answer;
import static dev.switchboard.testkit.Messages.candidate;
import static dev.switchboard.testkit.Messages.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signals go only between members of the same room; everything else gets a typed error and delivers nothing.
 * "Nothing delivered" is shown by ordering: the target's next message is a later, valid signal.
 */
class RelayRulesTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void aTargetOutsideTheRoomGetsNothingAndTheSenderGetsPeerNotFound() throws Exception {
        try (Peer alice = Transport.WEBSOCKET_JSON.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port());
             Peer outsider = Transport.GRPC.connect("outsider", server.port())) {
            alice.hello("alice-r");
            bob.hello("bob-r");
            outsider.hello("outsider-r");
            alice.join("inside");
            bob.join("inside");
            outsider.join("elsewhere");
            alice.next(PEER_JOINED);

            for (ClientMessage.Builder misdirected : new ClientMessage.Builder[] {
                    offer("inside", "outsider-r", "v=0"),
                    answer("inside", "outsider-r", "v=0"),
                    candidate("inside", "outsider-r", "candidate:1"),
                    offer("inside", "nobody", "v=0")}) {
                long sequence = alice.sendNumbered(misdirected.setRequestId("m"));
                Ack ack = alice.next(ACK).getAck();
                assertFalse(ack.getSuccess());
                assertEquals(ErrorCode.ERROR_CODE_PEER_NOT_FOUND, ack.getErrorCode());
                assertEquals(sequence, ack.getSequence());
                ServerMessage error = alice.next(ERROR);
                assertEquals(ErrorCode.ERROR_CODE_PEER_NOT_FOUND, error.getError().getCode());
                assertEquals("m", error.getError().getRequestId());
            }
            // a signal from the outsider's own room-mate-less room reaches nobody either
            outsider.send(offer("elsewhere", "alice-r", "v=0").build());
            assertEquals(ErrorCode.ERROR_CODE_PEER_NOT_FOUND, outsider.next(ACK).getAck().getErrorCode());

            alice.send(offer("inside", "bob-r", "v=0 valid").build());
            ServerMessage nextAtBob = bob.next(m -> m.getPayloadCase() != ACK, "a non-ack message");
            assertEquals("v=0 valid", nextAtBob.getOffer().getSdp());
            // Everything sent to the outsider so far was queued before this room_joined; none of it is a signal.
            outsider.join("inside");
            assertTrue(outsider.received().stream().noneMatch(RelayRulesTest::isSignal),
                       () -> "outsider received " + outsider.received());
        }
    }

    private static boolean isSignal(ServerMessage message) {
        return message.hasOffer() || message.hasAnswer() || message.hasIceCandidate();
    }

    @Test
    void aSenderOutsideTheRoomGetsNotInRoom() throws Exception {
        try (Peer alice = Transport.WEBSOCKET_BINARY.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            alice.hello("alice-n");
            bob.hello("bob-n");
            bob.join("bobs-room");
            alice.send(offer("bobs-room", "bob-n", "v=0").build());
            Ack ack = alice.next(ACK).getAck();
            assertEquals(SignalKind.SIGNAL_KIND_OFFER, ack.getKind());
            assertEquals(ErrorCode.ERROR_CODE_NOT_IN_ROOM, ack.getErrorCode());
            assertEquals(ErrorCode.ERROR_CODE_NOT_IN_ROOM, alice.next(ERROR).getError().getCode());

            alice.send(ClientMessage.newBuilder().setConnectionStateUpdate(
                    ConnectionStateUpdate.newBuilder()
                            .setRoomId("bobs-room")
                            .setTargetUserId("bob-n")
                            .setConnectionState(PeerConnectionState.PEER_CONNECTION_STATE_CONNECTED)).build());
            assertEquals(ErrorCode.ERROR_CODE_NOT_IN_ROOM, alice.next(ERROR).getError().getCode());
        }
    }

    @Test
    void incompleteSignalsAreInvalidAndSignallingYourselfFindsNoPeer() throws Exception {
        try (Peer alice = Transport.GRPC.connect("alice", server.port())) {
            alice.hello("alice-i");
            alice.join("solo");
            alice.send(offer("", "bob", "v=0").build());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, alice.next(ACK).getAck().getErrorCode());
            alice.send(offer("solo", "", "v=0").build());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, alice.next(ACK).getAck().getErrorCode());
            alice.send(answer("solo", "bob", "").build());
            assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, alice.next(ACK).getAck().getErrorCode());
            alice.send(offer("solo", "alice-i", "v=0").build());
            assertEquals(ErrorCode.ERROR_CODE_PEER_NOT_FOUND, alice.next(ACK).getAck().getErrorCode());
        }
    }
}
