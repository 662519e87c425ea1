package dev.switchboard.server.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.MediaState;
import dev.switchboard.signaling.v1.MediaUpdate;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;
import dev.switchboard.testkit.GrpcPeer;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.WebSocketPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ANSWER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_MEDIA_CHANGED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ROOM_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.WELCOME;
import static dev.switchboard.testkit.Messages.answer;
import static dev.switchboard.testkit.Messages.join;
import static dev.switchboard.testkit.Messages.leave;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.resume;
import static dev.switchboard.testkit.Messages.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every cluster backend must give the nodes that share it, checked with real servers and clients: each node a
 * {@link Switchboard} with its transports on a loopback port, all in this JVM. Subclasses name the backend.
 */
abstract class ClusterContract {
    static final Duration RESUME_WINDOW = Duration.ofSeconds(3);
    private static final String SECRET = "a shared secret of at least 32 bytes, for HS256";

    private final List<Switchboard> nodes = new ArrayList<>();

    /**
     * Starts a node on the backend under test.
     *
     * @param settings the node's settings, by flat key
     * @return the running node
     */
    abstract Switchboard start(Map<String, String> settings);

    /** Makes the backend unreachable for every node. */
    abstract void backendDown();

    /** Brings the backend back, empty (as a Redis without persistence restarts). */
    abstract void backendBack();

    @AfterEach
    void stopNodes() {
        nodes.forEach(Switchboard::close);
    }

    Switchboard node() {
        return node(Map.of());
    }

    Switchboard node(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        settings.put("server.host", "127.0.0.1");
        settings.put("server.port", "0");
        settings.put("stun.urls", "stun:127.0.0.1:3478");
        settings.put("limits.rate", "1000000");
        settings.put("limits.burst", "1000000");
        settings.put("cluster.heartbeat-interval", "PT0.2S");
        settings.put("cluster.node-timeout", "PT1S");
        settings.put("cluster.mirror-interval", "PT0.02S");
        settings.put("resume.window", RESUME_WINDOW.toString());
        settings.putAll(overrides);
        Switchboard node = start(settings);
        nodes.add(node);
        return node;
    }

    static io.helidon.config.Config config(Map<String, String> settings) {
        return SwitchboardConfig.withOverrides(settings);
    }

    @Test
    void peersOnTwoNodesMeetAndSignalBothWaysExactlyOnce() {
        Switchboard first = node();
        Switchboard second = node();
        try (GrpcPeer alice = new GrpcPeer("alice", first.port());
             WebSocketPeer bob = new WebSocketPeer("bob", second.port(), true)) {
            alice.hello("alice");
            bob.hello("bob");
            alice.join("room");
            assertEquals("alice", bob.join("room").getRoomJoined().getMembers(0).getUserId(), "bob sees alice");
            assertEquals("bob", alice.next(PEER_JOINED).getPeerJoined().getUserId());

            long offered = alice.sendNumbered(offer("room", "bob", sdp("a1", "first")));
            assertEquals("alice", bob.next(OFFER).getOffer().getFromUserId());
            assertTrue(ackOf(alice, offered).getAck().getSuccess());
            alice.send(offer("room", "bob", sdp("a1", "first")).setSequence(offered).build());
            assertTrue(ackOf(alice, offered).getAck().getDuplicate(), "a re-send is a duplicate, not relayed");

            bob.sendNumbered(answer("room", "alice", sdp("b1", "reply")));
            assertEquals("reply", label(alice.next(ANSWER).getAnswer().getSdp()));
            assertTrue(bob.drain().stream().noneMatch(ServerMessage::hasOffer), "the duplicate never arrived");

            bob.send(ClientMessage.newBuilder().setMediaUpdate(MediaUpdate.newBuilder().setRoomId("room")
                    .setMedia(MediaState.newBuilder().setVideo(false))).build());
            ServerMessage media = alice.next(PEER_MEDIA_CHANGED);
            assertEquals("bob", media.getPeerMediaChanged().getUserId());
            assertFalse(media.getPeerMediaChanged().getMedia().getVideo(), "a media state crosses nodes too");

            bob.send(leave("room").build());
            ServerMessage left = alice.next(PEER_LEFT);
            assertEquals("bob", left.getPeerLeft().getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_LEFT, left.getPeerLeft().getReason());
        }
    }

    /**
     * Both members of each room join at once, one on each node: whichever the directory admits first, each ends up
     * knowing the other, through its room_joined's members or a peer_joined, and can then signal it (the benchmark
     * once found pairs where one side's join answer, older than the other's announcement, made it forget the
     * other for good).
     */
    @Test
    void peersThatJoinAtOnceOnTwoNodesAllFindEachOther() {
        Switchboard first = node();
        Switchboard second = node();
        List<WebSocketPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                WebSocketPeer a = new WebSocketPeer("a" + i, first.port(), true);
                WebSocketPeer b = new WebSocketPeer("b" + i, second.port(), true);
                peers.add(a);
                peers.add(b);
                a.hello("a" + i);
                b.hello("b" + i);
            }
            for (int i = 0; i < peers.size(); i++) {
                peers.get(i).send(join("room-" + i / 2).build());
            }
            for (int i = 0; i < peers.size(); i += 2) {
                if (peers.get(i).next(ROOM_JOINED).getRoomJoined().getMembersCount() == 0) {
                    assertEquals("b" + i / 2, peers.get(i).next(PEER_JOINED).getPeerJoined().getUserId());
                }
                peers.get(i + 1).next(ROOM_JOINED);
                long offered = peers.get(i).sendNumbered(offer("room-" + i / 2, "b" + i / 2, sdp("a", "hi")));
                assertTrue(ackOf(peers.get(i), offered).getAck().getSuccess(), "a" + i / 2 + " found b" + i / 2);
                assertEquals("a" + i / 2, peers.get(i + 1).next(OFFER).getOffer().getFromUserId());
            }
        } finally {
            peers.forEach(WebSocketPeer::close);
        }
    }

    @Test
    void aSessionMovesToAnotherLiveNodeWithItsReplayAndItsDuplicateDetection() {
        Switchboard first = node();
        Switchboard second = node();
        try (GrpcPeer alice = new GrpcPeer("alice", first.port());
             GrpcPeer bob = new GrpcPeer("bob", first.port())) {
            Peer.meet("call", alice, "alice", bob, "bob");
            Welcome welcome = welcomeOf(alice);
            long offered = alice.sendNumbered(offer("call", "bob", sdp("a1", "before")));
            bob.next(OFFER);
            ackOf(alice, offered);
            long lastReceived = alice.lastSequence();
            bob.sendNumbered(offer("call", "alice", sdp("b1", "unseen")));
            alice.next(OFFER);      // arrived, but the client will say it did not: it must be replayed

            try (WebSocketPeer back = new WebSocketPeer("alice elsewhere", second.port(), false)) {
                back.send(resume(welcome.getResumeToken(), lastReceived).build());
                Welcome resumed = back.next(WELCOME).getWelcome();
                assertTrue(resumed.getResumed());
                assertEquals(offered, resumed.getLastProcessedSequence(), "its processed sequences came along");
                assertEquals("unseen", label(back.next(OFFER).getOffer().getSdp()), "replayed from the old node");
                alice.awaitClosed();

                back.send(offer("call", "bob", sdp("a1", "before")).setSequence(offered).build());
                assertTrue(ackOf(back, offered).getAck().getDuplicate(), "still a duplicate on the new node");
                bob.sendNumbered(offer("call", "alice", sdp("b2", "moved")));
                assertEquals("moved", label(back.next(OFFER).getOffer().getSdp()));
                back.send(answer("call", "bob", sdp("a2", "from-second")).setSequence(offered + 1).build());
                assertEquals("from-second", label(bob.next(ANSWER).getAnswer().getSdp()));
                assertTrue(bob.drain().stream().noneMatch(ServerMessage::hasPeerLeft), "no peer_left for a move");
            }
        }
    }

    @Test
    void aSessionResumesOnAnotherNodeAfterItsNodeDies() {
        Switchboard doomed = node();
        Switchboard survivor = node();
        try (WebSocketPeer alice = new WebSocketPeer("alice", doomed.port(), true);
             GrpcPeer bob = new GrpcPeer("bob", survivor.port())) {
            Peer.meet("call", alice, "alice", bob, "bob");
            Welcome welcome = welcomeOf(alice);
            long offered = alice.sendNumbered(offer("call", "bob", sdp("a1", "before")));
            bob.next(OFFER);
            ackOf(alice, offered);
            awaitMirrored(doomed);      // a dead node's last cluster.mirror-interval of state is lost: not this test's
            long lastReceived = alice.lastSequence();

            doomed.halt();
            alice.awaitClosed();
            // bob signals alice while her node is dead: the message waits for her, wherever she resumes
            long answered = bob.sendNumbered(answer("call", "alice", sdp("b1", "while-away")));
            assertTrue(ackOf(bob, answered).getAck().getSuccess(), "held for the absent alice");

            try (GrpcPeer back = new GrpcPeer("alice again", survivor.port())) {
                back.send(resume(welcome.getResumeToken(), lastReceived).build());
                Welcome resumed = back.next(WELCOME).getWelcome();
                assertTrue(resumed.getResumed(), "resumed on the other node");
                assertEquals(offered, resumed.getLastProcessedSequence(), "its processed sequences came along");
                assertEquals("while-away", label(back.next(ANSWER).getAnswer().getSdp()));
                back.send(offer("call", "bob", sdp("a2", "after")).setSequence(offered + 1).build());
                assertEquals("after", label(bob.next(OFFER).getOffer().getSdp()));
                assertTrue(bob.drain().stream().noneMatch(ServerMessage::hasPeerLeft), "bob never saw alice leave");
            }
        }
    }

    @Test
    void aResumeFromADeadNodeReplaysExactlyWhatTheClientMissedThoughItsStoredListIsTrimmedLazily() {
        // the node keeps 16 messages per session, but trims the stored copy only every 64: the stored list holds
        // older messages too, and the resume must replay just the missed ones, in order
        Switchboard doomed = node(Map.of("resume.buffer-messages", "16"));
        Switchboard survivor = node();
        try (WebSocketPeer alice = new WebSocketPeer("alice", doomed.port(), true);
             GrpcPeer bob = new GrpcPeer("bob", survivor.port())) {
            Peer.meet("call", alice, "alice", bob, "bob");
            Welcome welcome = welcomeOf(alice);
            for (int i = 0; i < 100; i++) {
                bob.sendNumbered(offer("call", "alice", sdp("b" + i, "offer-" + i)));
                alice.next(OFFER);
            }
            long lastReceived = alice.lastSequence();
            awaitMirrored(doomed);
            doomed.halt();
            alice.awaitClosed();

            try (GrpcPeer back = new GrpcPeer("alice again", survivor.port())) {
                back.send(resume(welcome.getResumeToken(), lastReceived - 5).build());
                assertTrue(back.next(WELCOME).getWelcome().getResumed(), "resumed on the other node");
                for (int i = 95; i < 100; i++) {
                    ServerMessage replayed = back.next(OFFER);
                    assertEquals("offer-" + i, label(replayed.getOffer().getSdp()), "replayed in order");
                    assertEquals(lastReceived - 99 + i, replayed.getSequence(), "with its own number");
                }
                bob.sendNumbered(offer("call", "alice", sdp("b100", "next")));
                ServerMessage next = back.next(OFFER);
                assertEquals("next", label(next.getOffer().getSdp()), "nothing older replayed");
                assertEquals(lastReceived + 1, next.getSequence(), "numbering goes on");
            }
        }
    }

    @Test
    void aClientThatReceivedWhatItsDeadNodeNeverStoredStillResumesWithoutReusedNumbers() {
        // this node writes its sessions' state once a second: what it sends just before it dies is never stored
        Switchboard doomed = node(Map.of("cluster.heartbeat-interval", "PT1S", "cluster.node-timeout", "PT2S",
                                         "cluster.mirror-interval", "PT1S"));
        Switchboard survivor = node();
        try (GrpcPeer alice = new GrpcPeer("alice", doomed.port());
             GrpcPeer bob = new GrpcPeer("bob", survivor.port())) {
            Peer.meet("call", alice, "alice", bob, "bob");
            Welcome welcome = welcomeOf(alice);
            awaitMirrored(doomed);
            for (int i = 0; i < 5; i++) {
                bob.sendNumbered(offer("call", "alice", sdp("b" + i, "offer-" + i)));
                alice.next(OFFER);
            }
            long lastReceived = alice.lastSequence();
            doomed.halt();
            alice.awaitClosed();

            try (GrpcPeer back = new GrpcPeer("alice again", survivor.port())) {
                back.send(resume(welcome.getResumeToken(), lastReceived).build());
                assertTrue(back.next(WELCOME).getWelcome().getResumed(), "resumed, though its node never stored "
                        + "what it last sent");
                bob.sendNumbered(offer("call", "alice", sdp("b9", "next")));
                long previous = lastReceived;
                ServerMessage next = back.next(OFFER);
                // at least once: an offer the dead node handed to alice just before it could record that it had
                // read it from its mailbox comes again (README, "A killed node's last 20 ms"), numbered anew
                while (!"next".equals(label(next.getOffer().getSdp()))) {
                    assertTrue(label(next.getOffer().getSdp()).startsWith("offer-"), "only a repeat: " + next);
                    assertTrue(next.getSequence() > previous, "numbered after " + previous + ": " + next);
                    previous = next.getSequence();
                    next = back.next(OFFER);
                }
                assertTrue(next.getSequence() > previous, "numbering goes on after the client's last ("
                        + lastReceived + "), never reusing one: " + next.getSequence());
            }
        }
    }

    @Test
    void peersOfADeadNodeSeeItsSessionsLeaveAfterTheResumeWindowAndTheyCannotComeBack() {
        Switchboard doomed = node();
        Switchboard survivor = node();
        try (GrpcPeer alice = new GrpcPeer("alice", doomed.port());
             WebSocketPeer bob = new WebSocketPeer("bob", survivor.port(), false)) {
            Peer.meet("call", alice, "alice", bob, "bob");
            Welcome welcome = welcomeOf(alice);
            long killedAt = System.nanoTime();
            doomed.halt();
            ServerMessage left = bob.next(PEER_LEFT);
            long afterMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertEquals("alice", left.getPeerLeft().getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_TIMEOUT, left.getPeerLeft().getReason());
            assertTrue(afterMs >= RESUME_WINDOW.toMillis(), "not before the resume window: " + afterMs + " ms");

            try (GrpcPeer late = new GrpcPeer("alice too late", survivor.port())) {
                late.send(resume(welcome.getResumeToken(), alice.lastSequence()).build());
                assertEquals(ErrorCode.ERROR_CODE_RESUME_FAILED, late.next(ERROR).getError().getCode());
            }
            try (GrpcPeer carol = new GrpcPeer("carol", survivor.port())) {
                carol.hello("carol");
                ServerMessage joined = carol.join("call");
                assertEquals(1, joined.getRoomJoined().getMembersCount(), "no stale member: " + joined);
            }
        }
    }

    @Test
    void withTheBackendDownJoinsAreRefusedLocalPairsGoOnAndItAllRecovers() {
        Switchboard first = node();
        Switchboard second = node();
        try (GrpcPeer alice = new GrpcPeer("alice", first.port());
             GrpcPeer dave = new GrpcPeer("dave", first.port());
             WebSocketPeer bob = new WebSocketPeer("bob", second.port(), true);
             GrpcPeer carol = new GrpcPeer("carol", first.port())) {
            Peer.meet("call", alice, "alice", bob, "bob");
            dave.hello("dave");
            dave.join("call");
            alice.next(PEER_JOINED);
            carol.hello("carol");

            backendDown();
            awaitAvailable(first, false);
            awaitAvailable(second, false);      // both see the outage, so both write their state again after it
            carol.send(join("other").build());
            assertEquals(ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, carol.next(ERROR).getError().getCode());
            long toDave = alice.sendNumbered(offer("call", "dave", sdp("a1", "local")));
            assertEquals("local", label(dave.next(OFFER).getOffer().getSdp()), "a pair on one node goes on");
            assertTrue(ackOf(alice, toDave).getAck().getSuccess());
            long toBob = alice.sendNumbered(offer("call", "bob", sdp("a1", "remote")));
            assertEquals(ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, ackOf(alice, toBob).getAck().getErrorCode(),
                         "a signal to another node is refused, not lost silently");

            backendBack();
            awaitAvailable(first, true);
            awaitAvailable(second, true);
            awaitMirrored(first);
            awaitMirrored(second);
            alice.send(offer("call", "bob", sdp("a1", "remote")).setSequence(toBob).build());
            assertEquals("remote", label(bob.next(OFFER).getOffer().getSdp()), "the re-send goes through");
            carol.send(join("call").build());
            ServerMessage joined = carol.next(ROOM_JOINED);
            assertEquals(3, joined.getRoomJoined().getMembersCount(), "membership was rebuilt: " + joined);
            assertEquals("carol", bob.next(PEER_JOINED).getPeerJoined().getUserId());
        }
    }

    @Test
    void aResumeWithAnotherUsersTokenTakesNothingOver() {
        Map<String, String> jwt = Map.of("auth.mode", "jwt", "auth.jwt.secret", SECRET);
        Switchboard first = node(jwt);
        Switchboard second = node(jwt);
        try (GrpcPeer alice = new GrpcPeer("alice", first.port());
             GrpcPeer bob = new GrpcPeer("bob", first.port())) {
            alice.send(hello(token("alice")).build());
            Welcome welcome = alice.next(WELCOME).getWelcome();
            bob.send(hello(token("bob")).build());
            bob.next(WELCOME);
            alice.join("call");
            bob.join("call");
            alice.next(PEER_JOINED);

            try (GrpcPeer mallory = new GrpcPeer("mallory", second.port())) {
                mallory.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setToken(token("mallory"))
                        .setResumeToken(welcome.getResumeToken())).build());
                assertEquals(ErrorCode.ERROR_CODE_RESUME_FAILED, mallory.next(ERROR).getError().getCode());
            }
            long offered = bob.sendNumbered(offer("call", "alice", sdp("b1", "still-here")));
            assertEquals("still-here", label(alice.next(OFFER).getOffer().getSdp()), "alice kept her session");
            assertTrue(ackOf(bob, offered).getAck().getSuccess());
            assertFalse(alice.isClosed());
        }
    }

    /**
     * A member's profile (its token's display claims) reaches the room's members on other nodes, whether they
     * learn of it from the directory or from its announcement, and stays with its session when that moves.
     */
    @Test
    void profilesCrossNodesAndMoveWithTheirSessions() {
        Map<String, String> jwt = Map.of("auth.mode", "jwt", "auth.jwt.secret", SECRET);
        Switchboard first = node(jwt);
        Switchboard second = node(jwt);
        try (GrpcPeer alice = new GrpcPeer("alice", first.port());
             WebSocketPeer bob = new WebSocketPeer("bob", second.port(), true)) {
            alice.send(hello(token("alice", "Alice Liddell & co")).build());
            Welcome welcome = alice.next(WELCOME).getWelcome();
            assertEquals(Map.of("name", "Alice Liddell & co"), welcome.getProfileMap());
            bob.send(hello(token("bob", "Bob=Builder")).build());
            bob.next(WELCOME);
            alice.join("call");
            assertEquals(Map.of("name", "Alice Liddell & co"),
                         bob.join("call").getRoomJoined().getMembers(0).getProfileMap(), "from the directory");
            assertEquals(Map.of("name", "Bob=Builder"), alice.next(PEER_JOINED).getPeerJoined().getProfileMap(),
                         "from bob's announcement");

            try (GrpcPeer moved = new GrpcPeer("alice elsewhere", second.port());
                 GrpcPeer carol = new GrpcPeer("carol", first.port())) {
                moved.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setToken(token("alice", "Alice, renamed later"))
                        .setResumeToken(welcome.getResumeToken())).build());
                Welcome resumed = moved.next(WELCOME).getWelcome();
                assertTrue(resumed.getResumed());
                assertEquals(Map.of("name", "Alice Liddell & co"), resumed.getProfileMap(),
                             "a session keeps the profile it opened with");
                alice.awaitClosed();
                awaitMirrored(second);

                carol.send(hello(token("carol", "Carol")).build());
                carol.next(WELCOME);
                Map<String, Map<String, String>> seen = new HashMap<>();
                carol.join("call").getRoomJoined().getMembersList()
                        .forEach(member -> seen.put(member.getUserId(), member.getProfileMap()));
                assertEquals(Map.of("alice", Map.of("name", "Alice Liddell & co"), "bob", Map.of("name", "Bob=Builder")),
                             seen, "the moved session kept its profile");

                bob.send(leave("call").build());
                assertEquals("bob", carol.next(PEER_LEFT).getPeerLeft().getUserId(), "a member with a profile leaves");
                try (GrpcPeer dave = new GrpcPeer("dave", second.port())) {
                    dave.send(hello(token("dave", null)).build());
                    dave.next(WELCOME);
                    assertEquals(List.of("alice", "carol"), dave.join("call").getRoomJoined().getMembersList().stream()
                            .map(member -> member.getUserId()).sorted().toList(), "and is gone from the directory");
                }
            }
        }
    }

    static ServerMessage ackOf(Peer peer, long sequence) {
        return peer.next(m -> m.hasAck() && m.getAck().getSequence() == sequence, "ack of " + sequence);
    }

    static Welcome welcomeOf(Peer peer) {
        return peer.received().stream().filter(ServerMessage::hasWelcome).findFirst().orElseThrow().getWelcome();
    }

    /** Waits until everything the node's sessions did so far is in the backend. */
    static void awaitMirrored(Switchboard node) {
        await(() -> node.cluster().mirrorPending() == 0, "session state still unwritten");
    }

    static void awaitAvailable(Switchboard node, boolean available) {
        await(() -> node.cluster().available() == available, "cluster availability never became " + available);
    }

    static void await(java.util.function.BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + Peer.TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, failure);
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());     // poll interval; the deadline bounds it
        }
    }

    /** The session name ({@code s=}) that {@link dev.switchboard.testkit.Messages#sdp} labels an SDP with. */
    static String label(String sdp) {
        return sdp.lines().filter(line -> line.startsWith("s=")).findFirst().orElseThrow().substring(2);
    }

    private static ClientMessage.Builder hello(String token) {
        return ClientMessage.newBuilder().setHello(Hello.newBuilder().setToken(token));
    }

    private static String token(String subject) {
        return token(subject, null);
    }

    /** A token whose {@code name} claim (a profile field) is {@code name}, when not null. */
    private static String token(String subject, String name) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                                          new JWTClaimsSet.Builder().subject(subject).claim("name", name)
                                                  .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                                                  .build());
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
