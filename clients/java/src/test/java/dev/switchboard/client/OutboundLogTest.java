package dev.switchboard.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.Error;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Join;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.RoomJoined;
import dev.switchboard.signaling.v1.ServerMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundLogTest {

    @Test
    void repliesCompleteTheirRequestsAndLeaveTheLog() {
        OutboundLog log = new OutboundLog(16);
        CompletableFuture<ServerMessage> joined = new CompletableFuture<>();
        log.add(join(1), joined);

        assertTrue(log.answered(ServerMessage.newBuilder().setRequestId("1")
                                        .setRoomJoined(RoomJoined.newBuilder().setRoomId("r1")).build()));

        assertEquals("r1", joined.join().getRoomJoined().getRoomId());
        assertEquals(0, log.size());
    }

    @Test
    void aRefusedSignalIsCompletedByItsAckNotByTheError() {
        OutboundLog log = new OutboundLog(16);
        CompletableFuture<ServerMessage> acked = new CompletableFuture<>();
        log.add(offer(1), acked);

        log.answered(ServerMessage.newBuilder().setRequestId("1").setError(
                Error.newBuilder().setCode(ErrorCode.ERROR_CODE_PEER_NOT_FOUND)).build());
        assertFalse(acked.isDone());
        log.answered(ServerMessage.newBuilder().setRequestId("1").setAck(
                Ack.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_PEER_NOT_FOUND)).build());

        assertEquals(ErrorCode.ERROR_CODE_PEER_NOT_FOUND, acked.join().getAck().getErrorCode());
    }

    @Test
    void anErrorFailsAnyOtherRequestWithItsCode() {
        OutboundLog log = new OutboundLog(16);
        CompletableFuture<ServerMessage> joined = new CompletableFuture<>();
        log.add(join(1), joined);

        log.answered(ServerMessage.newBuilder().setRequestId("1").setError(
                Error.newBuilder().setCode(ErrorCode.ERROR_CODE_ROOM_FULL)).build());

        var failure = assertInstanceOf(SignalingException.class, joined.exceptionNow());
        assertEquals(ErrorCode.ERROR_CODE_ROOM_FULL, failure.code());
    }

    @Test
    void aResumeResendsWhatTheServerDidNotProcessAndForgetsProcessedReports() {
        OutboundLog log = new OutboundLog(16);
        log.add(join(1), new CompletableFuture<>());
        log.add(state(2), null);
        log.add(offer(3), new CompletableFuture<>());
        log.add(state(4), null);

        List<ClientMessage> resend = log.unprocessedAfter(2);

        assertEquals(List.of(3L, 4L), resend.stream().map(ClientMessage::getSequence).toList());
        // the join was processed: its room_joined comes in the server's replay
        assertEquals(List.of(1L, 3L, 4L), log.sequences());
    }

    @Test
    void pastItsCapacityTheOldestRequestFails() {
        OutboundLog log = new OutboundLog(2);
        CompletableFuture<ServerMessage> oldest = new CompletableFuture<>();
        log.add(join(1), oldest);
        log.add(join(2), new CompletableFuture<>());
        log.add(join(3), new CompletableFuture<>());

        assertTrue(oldest.isCompletedExceptionally());
        assertEquals(List.of(2L, 3L), log.sequences());
    }

    private static ClientMessage join(long sequence) {
        return ClientMessage.newBuilder().setSequence(sequence).setRequestId(Long.toString(sequence))
                .setJoin(Join.newBuilder().setRoomId("r1")).build();
    }

    private static ClientMessage offer(long sequence) {
        return ClientMessage.newBuilder().setSequence(sequence).setRequestId(Long.toString(sequence))
                .setOffer(Offer.newBuilder().setRoomId("r1").setTargetUserId("bob").setSdp("v=0")).build();
    }

    private static ClientMessage state(long sequence) {
        return ClientMessage.newBuilder().setSequence(sequence).setRequestId(Long.toString(sequence))
                .setConnectionStateUpdate(ConnectionStateUpdate.newBuilder().setRoomId("r1")).build();
    }
}
