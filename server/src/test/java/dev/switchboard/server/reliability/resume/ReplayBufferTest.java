package dev.switchboard.server.reliability.resume;

import java.util.List;

import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.Pong;
import dev.switchboard.signaling.v1.ServerMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay buffer keeps what the client may have missed, within its bounds, and says when it cannot.
 */
class ReplayBufferTest {
    private long sequence;

    @Test
    void replaysExactlyWhatFollowsTheClientsLastMessage() {
        ReplayBuffer buffer = new ReplayBuffer(10, 1 << 20, BufferBudget.unlimited());
        for (int i = 0; i < 6; i++) {
            assertTrue(buffer.append(next()));
        }
        buffer.acknowledge(2);
        assertEquals(4, buffer.size());
        assertEquals(List.of(5L, 6L), sequences(buffer.after(4, sequence)));
        assertEquals(List.of(), buffer.after(6, sequence));
        assertNull(buffer.after(7, sequence), "the client claims a message never sent");
    }

    @Test
    void whileAttachedTheOldestMakesRoomWhileDetachedNothingNewIsDropped() {
        ReplayBuffer buffer = new ReplayBuffer(4, 1 << 20, BufferBudget.unlimited());
        for (int i = 0; i < 6; i++) {
            assertTrue(buffer.append(next()));    // connected: 1 and 2 make room
        }
        assertNull(buffer.after(1, sequence), "message 2 is no longer held");
        assertEquals(List.of(3L, 4L, 5L, 6L), sequences(buffer.after(2, sequence)));

        buffer.detached(sequence);
        for (int i = 0; i < 4; i++) {
            assertTrue(buffer.append(next()));    // 3..6 make room for 7..10, sent while away
        }
        assertFalse(buffer.append(next()), "an 11th message would drop one the client never saw");
        assertEquals(List.of(7L, 8L, 9L, 10L), sequences(buffer.after(6, 10)));
    }

    @Test
    void atTheSharedBudgetAConnectedClientsBufferGivesUpItsOwnOldestFirst() {
        BufferBudget budget = BufferBudget.of(2 * EIGHT_KIB);
        ReplayBuffer first = new ReplayBuffer(100, 1 << 20, budget);
        ReplayBuffer second = new ReplayBuffer(100, 1 << 20, budget);
        for (int i = 0; i < 4; i++) {
            assertTrue(first.append(large()));      // two within its allowance, two charged: the budget is spent
        }
        assertTrue(second.append(large()) && second.append(large()), "within its own allowance");
        assertTrue(second.append(large()), "connected: its message is sent even though the budget is spent");
        assertEquals(2, second.size(), "its own oldest made room");
        assertEquals(4, first.size(), "another session's messages are not touched");
        assertTrue(budget.used() <= budget.limit(), budget.used() + " bytes charged");
    }

    @Test
    void atTheSharedBudgetADetachedClientsBufferOverflowsAndEndedSessionsFreeTheBudget() {
        BufferBudget budget = BufferBudget.of(2 * EIGHT_KIB);
        ReplayBuffer busy = new ReplayBuffer(100, 1 << 20, budget);
        ReplayBuffer away = new ReplayBuffer(100, 1 << 20, budget);
        for (int i = 0; i < 4; i++) {
            assertTrue(busy.append(large()));
        }
        away.detached(sequence);
        assertTrue(away.append(large()) && away.append(large()), "within its own allowance");
        assertFalse(away.append(large()), "a message its client never saw cannot be kept: the session must end");
        busy.clear();
        away.clear();
        assertEquals(0, budget.used(), "an ended session's share is free again");
    }

    private static final int EIGHT_KIB = 8 * 1024;

    private ServerMessage large() {
        return ServerMessage.newBuilder()
                .setSequence(++sequence)
                .setOffer(Offer.newBuilder().setSdp("x".repeat(EIGHT_KIB - 10)))
                .build();
    }

    @Test
    void isBoundedInBytesToo() {
        ReplayBuffer buffer = new ReplayBuffer(1000, 1024, BufferBudget.unlimited());
        buffer.detached(0);
        int kept = 0;
        while (buffer.append(next())) {
            kept++;
        }
        assertTrue(buffer.bytes() <= 1024 && kept == buffer.size(), kept + " messages, " + buffer.bytes() + " bytes");
    }

    private ServerMessage next() {
        return ServerMessage.newBuilder()
                .setSequence(++sequence)
                .setPong(Pong.newBuilder().setClientTimeMs(sequence).setServerTimeMs(sequence))
                .build();
    }

    private static List<Long> sequences(List<ServerMessage> messages) {
        return messages.stream().map(ServerMessage::getSequence).toList();
    }
}
