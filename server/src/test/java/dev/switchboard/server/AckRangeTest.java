package dev.switchboard.server;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.AckMode;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.WELCOME;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Hello.ack_mode RANGE}: relayed signals are acknowledged by {@code ack_range}s, every other outcome by an
 * {@code ack} of its own that comes before any range covering it; a client that does not ask gets one ack each.
 */
class AckRangeTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @ParameterizedTest
    @EnumSource(Transport.class)
    void relayedSignalsAreAcknowledgedByRangesAndRefusalsOneByOne(Transport transport) {
        String room = "ranges-" + transport;
        try (Peer alice = transport.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            alice.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setUserId("alice-" + room)
                                                                   .setAckMode(AckMode.ACK_MODE_RANGE)).build());
            Welcome welcome = alice.next(WELCOME).getWelcome();
            assertEquals(AckMode.ACK_MODE_RANGE, welcome.getAckMode(), "the server says which mode it uses");
            bob.hello("bob-" + room);
            alice.join(room);
            bob.join(room);
            alice.next(PEER_JOINED);

            List<Long> relayed = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                relayed.add(alice.sendNumbered(offer(room, "bob-" + room, sdp("a" + i, "offer-" + i))));
            }
            long refused = alice.sendNumbered(offer(room, "nobody", sdp("x", "to-nobody")));
            relayed.add(alice.sendNumbered(offer(room, "bob-" + room, sdp("a20", "offer-20"))));
            for (int i = 0; i < relayed.size(); i++) {
                bob.next(OFFER);
            }

            List<Long> covered = new ArrayList<>();
            boolean refusalSeen = false;
            long last = relayed.getLast();
            while (!covered.contains(last)) {
                ServerMessage message = alice.next(m -> m.hasAck() || m.hasAckRange(), "ack or ack_range");
                if (message.hasAck()) {
                    assertEquals(refused, message.getAck().getSequence(), "only the refusal has an ack of its own");
                    assertEquals(ErrorCode.ERROR_CODE_PEER_NOT_FOUND, message.getAck().getErrorCode());
                    refusalSeen = true;
                    continue;
                }
                long first = message.getAckRange().getFirstSequence();
                long end = message.getAckRange().getLastSequence();
                if (first <= refused && refused <= end) {
                    assertTrue(refusalSeen, "a range covering the refused sequence comes after its own ack");
                }
                LongStream.rangeClosed(first, end).filter(relayed::contains).forEach(covered::add);
            }
            assertEquals(relayed, covered.stream().sorted().toList(), "every relayed signal covered, once");
            assertTrue(refusalSeen);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientThatDoesNotAskGetsOneAckPerSignal(Transport transport) {
        String room = "each-" + transport;
        try (Peer alice = transport.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            assertEquals(AckMode.ACK_MODE_EACH, alice.hello("alice-" + room).getWelcome().getAckMode());
            bob.hello("bob-" + room);
            alice.join(room);
            bob.join(room);
            for (int i = 0; i < 5; i++) {
                long sent = alice.sendNumbered(offer(room, "bob-" + room, sdp("a" + i, "offer-" + i)));
                assertTrue(alice.next(m -> m.hasAck() && m.getAck().getSequence() == sent, "ack").getAck()
                                   .getSuccess());
            }
            assertFalse(alice.received().stream().anyMatch(ServerMessage::hasAckRange));
        }
    }
}
