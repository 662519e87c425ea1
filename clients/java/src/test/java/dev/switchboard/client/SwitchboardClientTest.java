package dev.switchboard.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.switchboard.server.testing.TcpProxy;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.IceConnectionState;
import dev.switchboard.signaling.v1.IceGatheringState;
import dev.switchboard.signaling.v1.IceRestartRequired;
import dev.switchboard.signaling.v1.NegotiationRole;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.PeerJoined;
import dev.switchboard.signaling.v1.PeerLeft;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.RoomJoined;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java SDK against a real server over real gRPC: negotiation, reconnect and resume with nothing lost or
 * doubled, a fresh session when the server forgot the old one, heartbeats, bye, and a refused token.
 */
class SwitchboardClientTest {
    private static final Duration WAIT = RecordingListener.TIMEOUT;

    @Test
    void twoClientsNegotiateThroughTheServer() throws Exception {
        try (TestServer server = TestServer.start();
             Peer alice = Peer.connect("alice", server.port());
             Peer bob = Peer.connect("bob", server.port())) {
            alice.join("r1");
            RoomJoined joined = bob.join("r1");
            assertEquals("alice", joined.getMembers(0).getUserId());
            assertEquals(NegotiationRole.NEGOTIATION_ROLE_POLITE, joined.getMembers(0).getRole());
            assertEquals(NegotiationRole.NEGOTIATION_ROLE_IMPOLITE,
                         alice.events.next(PeerJoined.class).getRole(), "alice sorts first: impolite");

            Ack offerAck = get(alice.client.sendOffer("r1", "bob", "v=0 offer"));
            assertTrue(offerAck.getSuccess());
            Offer offer = bob.events.next(Offer.class);
            assertEquals("alice", offer.getFromUserId());
            assertEquals("v=0 offer", offer.getSdp());

            assertTrue(get(bob.client.sendAnswer("r1", "alice", "v=0 answer")).getSuccess());
            assertEquals("v=0 answer", alice.events.next(Answer.class).getSdp());

            IceCandidate candidate = IceCandidate.newBuilder()
                    .setCandidate("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host")
                    .setSdpMid("0").setSdpMlineIndex(0).setUsernameFragment("ufrag1").build();
            assertTrue(get(alice.client.sendIceCandidate("r1", "bob", candidate)).getSuccess());
            IceCandidate relayed = bob.events.next(IceCandidate.class);
            assertEquals(candidate.getCandidate(), relayed.getCandidate());
            assertEquals(0, relayed.getSdpMlineIndex());

            Ack refused = get(alice.client.sendOffer("r1", "nobody", "v=0"));
            assertFalse(refused.getSuccess());
            assertEquals(ErrorCode.ERROR_CODE_PEER_NOT_FOUND, refused.getErrorCode());
        }
    }

    @Test
    void aFailedPairAsksTheImpoliteClientToRestartIce() throws Exception {
        try (TestServer server = TestServer.start(Map.of("recovery.backoff", "PT10S"));
             Peer alice = Peer.connect("alice", server.port());
             Peer bob = Peer.connect("bob", server.port())) {
            alice.join("r1");
            bob.join("r1");
            bob.client.reportState("r1", "alice", PeerConnectionState.PEER_CONNECTION_STATE_FAILED,
                                   IceConnectionState.ICE_CONNECTION_STATE_FAILED,
                                   IceGatheringState.ICE_GATHERING_STATE_COMPLETE);

            IceRestartRequired restart = alice.events.next(IceRestartRequired.class);
            assertEquals("bob", restart.getTargetUserId());
            assertEquals(1, restart.getAttempt());
        }
    }

    @Test
    void aDroppedConnectionResumesWithNothingLostOrDoubled() throws Exception {
        try (TestServer server = TestServer.start();
             TcpProxy proxy = new TcpProxy(server.port());
             Peer alice = Peer.connect("alice", proxy.port());
             Peer bob = Peer.connect("bob", server.port())) {
            alice.join("r1");
            bob.join("r1");
            alice.events.next(PeerJoined.class);

            proxy.cutAll();
            alice.events.next(ConnectionEvent.DISCONNECTED);
            // while alice is away: bob's candidates wait in her session, hers wait in her client
            List<CompletableFuture<Ack>> bobsAcks = new ArrayList<>();
            List<CompletableFuture<Ack>> alicesAcks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                bobsAcks.add(bob.client.sendIceCandidate("r1", "alice", candidate("from-bob-" + i)));
                alicesAcks.add(alice.client.sendIceCandidate("r1", "bob", candidate("from-alice-" + i)));
            }

            alice.events.next(ConnectionEvent.RESUMED);
            for (int i = 0; i < 5; i++) {
                assertTrue(get(bobsAcks.get(i)).getSuccess());
                assertTrue(get(alicesAcks.get(i)).getSuccess());
                assertEquals(candidate("from-bob-" + i).getCandidate(),
                             alice.events.next(IceCandidate.class).getCandidate());
                assertEquals(candidate("from-alice-" + i).getCandidate(),
                             bob.events.next(IceCandidate.class).getCandidate());
            }
            // one more exchange proves the stream is live, and nothing was delivered twice before it
            get(bob.client.sendOffer("r1", "alice", "v=0 after"));
            assertEquals("v=0 after", alice.events.next(Offer.class).getSdp());
            assertEquals(5, alice.events.all(IceCandidate.class).size());
            assertEquals(5, bob.events.all(IceCandidate.class).size());
            assertTrue(bob.events.all(PeerLeft.class).isEmpty(), "bob never saw alice leave");
        }
    }

    @Test
    void aServerThatGoesSilentIsDroppedByTheHeartbeat() throws Exception {
        try (TestServer server = TestServer.start(Map.of("heartbeat.interval", "PT0.2S",
                                                         "heartbeat.timeout", "PT1S"));
             TcpProxy proxy = new TcpProxy(server.port());
             Peer alice = Peer.connect("alice", proxy.port())) {
            proxy.freeze();

            RecordingListener.Connection dropped = alice.events.next(ConnectionEvent.DISCONNECTED);

            assertTrue(dropped.detail().startsWith("nothing from the server"), dropped.detail());
        }
    }

    @Test
    void aRestartedServerGetsAFreshSessionAndTheRoomsBack() throws Exception {
        TestServer first = TestServer.start();
        int port = first.port();
        try (Peer alice = Peer.connect("alice", port)) {
            alice.join("r1");
            String firstSession = alice.client.sessionId();
            first.close();
            alice.events.next(ConnectionEvent.DISCONNECTED);

            try (TestServer second = TestServer.start(Map.of("server.port", Integer.toString(port)));
                 Peer bob = Peer.connect("bob", second.port())) {
                bob.join("r1");
                alice.events.next(ConnectionEvent.NEW_SESSION);
                assertEquals("r1", alice.events.next(RoomJoined.class).getRoomId(), "rejoined by the client");
                assertEquals("alice", bob.events.next(PeerJoined.class).getUserId());
                assertFalse(alice.client.sessionId().equals(firstSession));

                assertTrue(get(bob.client.sendOffer("r1", "alice", "v=0 again")).getSuccess());
                assertEquals("v=0 again", alice.events.next(Offer.class).getSdp());
            }
        }
    }

    @Test
    void aDrainingServerSendsTheClientToTheNextOne() throws Exception {
        TestServer first = TestServer.start(Map.of("drain.timeout", "PT20S", "drain.reconnect-spread", "PT0.2S"));
        int port = first.port();
        try (Peer alice = Peer.connect("alice", port)) {
            alice.join("r1");
            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(first.switchboard()::drain);

            RecordingListener.Connection goingAway = alice.events.next(ConnectionEvent.DISCONNECTED);
            assertTrue(goingAway.detail().contains("going away"), goingAway.detail());
            assertTrue(drained.get(WAIT.toSeconds(), TimeUnit.SECONDS), "alice left the draining server");
            first.close();

            // the replacement comes up where the load balancer sends alice; it does not know her session
            try (TestServer second = TestServer.start(Map.of("server.port", Integer.toString(port)))) {
                alice.events.next(ConnectionEvent.NEW_SESSION);
                assertEquals("r1", alice.events.next(RoomJoined.class).getRoomId());
            }
        }
    }

    @Test
    void closingSaysByeSoPeersSeeTheClientLeaveAtOnce() throws Exception {
        try (TestServer server = TestServer.start(Map.of("resume.window", "PT60S"));
             Peer bob = Peer.connect("bob", server.port())) {
            Peer alice = Peer.connect("alice", server.port());
            alice.join("r1");
            bob.join("r1");

            alice.close();

            PeerLeft left = bob.events.next(PeerLeft.class);
            assertEquals("alice", left.getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_LEFT, left.getReason());
            alice.events.next(ConnectionEvent.CLOSED);
            var failure = assertThrows(ExecutionException.class,
                                       () -> alice.client.join("r2").get(5, TimeUnit.SECONDS));
            assertInstanceOf(SignalingException.class, failure.getCause());
        }
    }

    @Test
    void aRefusedTokenFailsTheConnectAndIsNotRetried() throws Exception {
        Map<String, String> jwt = new HashMap<>();
        jwt.put("auth.mode", "jwt");
        jwt.put("auth.jwt.secret", "a-shared-secret-of-at-least-32-bytes!!");
        try (TestServer server = TestServer.start(jwt);
             SwitchboardClient client = SwitchboardClient.builder()
                     .target("127.0.0.1", server.port())
                     .token(() -> "not-a-jwt")
                     .build()) {
            var failure = assertThrows(ExecutionException.class,
                                       () -> client.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            var refused = assertInstanceOf(SignalingException.class, failure.getCause());
            assertTrue(refused.getMessage().contains("UNAUTHENTICATED"), refused.getMessage());
        }
    }

    private static IceCandidate candidate(String label) {
        return IceCandidate.newBuilder()
                .setCandidate("candidate:" + label + " 1 udp 2122260223 127.0.0.1 50000 typ host")
                .setSdpMid("0").setSdpMlineIndex(0).setUsernameFragment("ufrag1").build();
    }

    private static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * A connected SDK client and what its listener heard.
     */
    private record Peer(SwitchboardClient client, RecordingListener events) implements AutoCloseable {
        static Peer connect(String userId, int port) throws Exception {
            RecordingListener events = new RecordingListener();
            SwitchboardClient client = SwitchboardClient.builder()
                    .target("127.0.0.1", port)
                    .userId(userId)
                    .listener(events)
                    .build();
            get(client.connect());
            events.next(ConnectionEvent.CONNECTED);
            return new Peer(client, events);
        }

        RoomJoined join(String roomId) throws Exception {
            return get(client.join(roomId));
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
