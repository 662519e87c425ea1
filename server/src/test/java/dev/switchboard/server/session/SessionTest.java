package dev.switchboard.server.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.server.limits.RateLimiter;
import dev.switchboard.server.reliability.dedup.DedupSettings;
import dev.switchboard.server.reliability.resume.ReplayBuffer;
import dev.switchboard.server.testing.MemoryLink;
import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.signaling.v1.Pong;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session and its numbered outbound stream, without a core or a socket: numbering, replay on resume, the
 * client's acknowledgements, the ways a resume is refused, and the end. Its connections are in-memory links.
 */
class SessionTest {
    private static final ServerMessage WELCOME = ServerMessage.newBuilder()
            .setWelcome(Welcome.newBuilder().setResumed(true)).build();

    private final AtomicInteger overflows = new AtomicInteger();
    private final MemoryLink first = MemoryLink.unconnected("first");
    private final MemoryLink second = MemoryLink.unconnected("second");
    private final Outbox firstOutbox = outbox(first);
    private final Outbox secondOutbox = outbox(second);

    @AfterEach
    void closeOutboxes() {
        firstOutbox.abort(CloseCause.NORMAL);      // their writer threads end
        secondOutbox.abort(CloseCause.NORMAL);
    }

    @Test
    void messagesAreNumberedInOrderAndKeptUntilTheClientHasThem() {
        Session session = session(16);
        send(session, 3);
        assertEquals(List.of(1L, 2L, 3L), sequences(first, 3));
        assertEquals(3, session.outbound().state().buffered());

        session.outbound().acknowledge(2);
        assertEquals(1, session.outbound().state().buffered());
        assertEquals(3, session.outbound().state().lastSequence());
    }

    @Test
    void aResumeSendsTheWelcomeThenWhatTheClientMissedThenWhatComesNext() {
        Session session = session(16);
        send(session, 1);
        sequences(first, 1);
        long attachment = session.outbound().detach(firstOutbox);
        assertTrue(attachment >= 0);
        send(session, 2);
        assertTrue(session.outbound().state().attachedTo().isEmpty(), "detached while the client is away");

        Attachment resumed = session.outbound().attach(secondOutbox, 1, WELCOME);
        assertEquals(Attachment.Outcome.RESUMED, resumed.outcome());
        assertNull(resumed.previous(), "the first connection had been detached already");
        assertTrue(second.next().hasWelcome(), "the welcome comes first");
        assertEquals(List.of(2L, 3L), sequences(second, 2));
        send(session, 1);
        assertEquals(List.of(4L), sequences(second, 1));
        assertFalse(session.outbound().endIfStillDetached(attachment), "resumed: the detach's deadline is void");
    }

    @Test
    void aResumeWhileStillAttachedTakesTheStreamAndNamesTheConnectionToClose() {
        Session session = session(16);
        send(session, 2);
        Attachment resumed = session.outbound().attach(secondOutbox, 2, WELCOME);
        assertEquals(Attachment.Outcome.RESUMED, resumed.outcome());
        assertEquals(firstOutbox, resumed.previous());
        assertTrue(session.outbound().isAttachedTo(secondOutbox));
        assertEquals(-1, session.outbound().detach(firstOutbox), "the old connection's drop detaches nothing");
    }

    @Test
    void aClientClaimingMessagesNeverSentIsRefusedAndTheStreamGoesOn() {
        Session session = session(16);
        send(session, 2);
        assertEquals(Attachment.Outcome.AHEAD, session.outbound().attach(secondOutbox, 5, WELCOME).outcome());
        assertTrue(session.outbound().isAttachedTo(firstOutbox));
        send(session, 1);
        assertEquals(List.of(1L, 2L, 3L), sequences(first, 3));
    }

    @Test
    void aClientThatMissedMoreThanTheBufferKeptGetsAGap() {
        Session session = session(2);
        send(session, 5);                   // attached: the buffer keeps the newest two
        session.outbound().detach(firstOutbox);
        assertEquals(Attachment.Outcome.GAP, session.outbound().attach(secondOutbox, 1, WELCOME).outcome());
        assertEquals(Attachment.Outcome.RESUMED, session.outbound().attach(secondOutbox, 3, WELCOME).outcome());
    }

    @Test
    void aDetachedStreamWhoseBufferOverflowsEndsOnceAndCannotBeResumed() {
        Session session = session(2);
        session.outbound().detach(firstOutbox);
        send(session, 4);
        assertEquals(1, overflows.get());
        assertEquals(Attachment.Outcome.OVERFLOWED, session.outbound().attach(secondOutbox, 0, WELCOME).outcome());
    }

    @Test
    void endingIsForOneCallerAndTheEndedStreamSendsNothingMore() {
        Session session = session(16);
        long attachment = session.outbound().detach(firstOutbox);
        assertTrue(session.outbound().endIfStillDetached(attachment));
        assertFalse(session.outbound().end());
        send(session, 1);
        assertEquals(0, session.outbound().state().buffered());
        assertTrue(session.ended());
        assertEquals(Attachment.Outcome.ENDED, session.outbound().attach(secondOutbox, 0, WELCOME).outcome());
    }

    @Test
    void aLaterCredentialRenewsTheRightsAndKeepsTheProfileTheRoomsWereShown() {
        Session session = session(16);
        session.authenticated(new Identity("alice", Optional.of(List.of("a")), Optional.empty(),
                                           Map.of("name", "Alice")));
        Instant later = Instant.now().plus(Duration.ofHours(1));
        session.authenticated(new Identity("alice", Optional.of(List.of("a", "b")), Optional.of(later),
                                           Map.of("name", "Mallory")));
        assertEquals(Map.of("name", "Alice"), session.identity().profile());
        assertEquals(Optional.of(List.of("a", "b")), session.identity().rooms());
        assertEquals(Optional.of(later), session.identity().expiresAt());
    }

    private Session session(int replayMessages) {
        return new Session("s1", "alice", "token", firstOutbox,
                           new ReplayBuffer(replayMessages, 1 << 20, BufferBudget.unlimited()),
                           new DedupSettings(64, Duration.ofMinutes(1), 64, 16), new RateLimiter(100, 100),
                           ended -> overflows.incrementAndGet(), SessionMirror.NONE);
    }

    private static Outbox outbox(MemoryLink link) {
        return new Outbox(link, 64, 1 << 20, BufferBudget.unlimited(), () -> { }, message -> { });
    }

    private static void send(Session session, int count) {
        for (int i = 0; i < count; i++) {
            session.send(ServerMessage.newBuilder().setPong(Pong.newBuilder().setClientTimeMs(i)));
        }
    }

    private static List<Long> sequences(MemoryLink link, int count) {
        return IntStream.range(0, count).mapToObj(i -> link.next().getSequence()).toList();
    }
}
