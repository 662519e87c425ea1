package dev.switchboard.server;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.switchboard.server.testing.Prometheus;
import dev.switchboard.server.testing.RedisServer;
import dev.switchboard.server.testing.ServerProcess;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;
import dev.switchboard.testkit.GrpcPeer;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.WebSocketPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ANSWER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.GOING_AWAY;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ROOM_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.WELCOME;
import static dev.switchboard.testkit.Messages.answer;
import static dev.switchboard.testkit.Messages.join;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.resume;
import static dev.switchboard.testkit.Messages.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several gateway nodes, each a packaged server in its own process, sharing rooms and sessions through a real
 * Redis ({@code cluster.mode: redis}), with short cluster timers.
 */
class ClusterIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration RESUME_WINDOW = Duration.ofSeconds(3);

    private RedisServer redis;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    @Test
    void peersOnTwoNodesAndTwoTransportsMeetAndSignalExactlyOnce() throws Exception {
        try (ServerProcess first = node(); ServerProcess second = node();
             GrpcPeer alice = new GrpcPeer("alice", first.port());
             WebSocketPeer bob = new WebSocketPeer("bob", second.port(), false)) {
            alice.hello("alice");
            bob.hello("bob");
            alice.join("room");
            ServerMessage joined = bob.join("room");
            assertEquals("alice", joined.getRoomJoined().getMembers(0).getUserId(), "bob sees alice on the other node");
            assertEquals("bob", alice.next(PEER_JOINED).getPeerJoined().getUserId());

            long offered = alice.sendNumbered(offer("room", "bob", sdp("a1", "first")));
            ServerMessage offer = bob.next(OFFER);
            assertEquals("alice", offer.getOffer().getFromUserId());
            assertTrue(alice.next(m -> m.hasAck() && m.getAck().getSequence() == offered, "ack").getAck().getSuccess());

            // a re-send of the same numbered offer is acknowledged as a duplicate and not relayed again
            alice.send(offer("room", "bob", sdp("a1", "first")).setSequence(offered).build());
            assertTrue(alice.next(m -> m.hasAck() && m.getAck().getDuplicate(), "duplicate ack").getAck()
                               .getDuplicate());

            bob.sendNumbered(answer("room", "alice", sdp("b1", "reply")));
            assertEquals("bob", alice.next(ANSWER).getAnswer().getFromUserId());
            // the hop between the nodes shows in their metrics (scraped as Prometheus does)
            assertTrue(Prometheus.scrape(second.port())
                               .getOrDefault("switchboard_cluster_envelopes_total{event=\"received\"}", 0.0) >= 1,
                       "node 2 received alice's offer");
            assertEquals(1.0, Prometheus.scrape(first.port()).get("switchboard_cluster_available"));
            assertTrue(bob.drain().stream().noneMatch(ServerMessage::hasOffer), "the duplicate offer never arrived");

            bob.send(dev.switchboard.testkit.Messages.leave("room").build());
            ServerMessage left = alice.next(PEER_LEFT);
            assertEquals("bob", left.getPeerLeft().getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_LEFT, left.getPeerLeft().getReason());
        }
    }

    @Test
    void aSessionResumesOnAnotherNodeAfterItsNodeIsKilled() throws Exception {
        try (ServerProcess doomed = node(); ServerProcess survivor = node();
             WebSocketPeer alice = new WebSocketPeer("alice", doomed.port(), true);
             GrpcPeer bob = new GrpcPeer("bob", survivor.port())) {
            Peer.meet("call", alice, "alice", bob, "bob");
            Welcome welcome = alice.received().stream().filter(ServerMessage::hasWelcome).findFirst().orElseThrow()
                    .getWelcome();
            long offered = alice.sendNumbered(offer("call", "bob", sdp("a1", "before")));
            bob.next(OFFER);
            alice.next(m -> m.hasAck() && m.getAck().getSequence() == offered, "ack");
            long lastReceived = alice.lastSequence();
            // a node mirrors its sessions every cluster.mirror-interval: a kill loses at most that much of their
            // state (the README says so), so for this test the state of that offer must have been mirrored
            awaitMirrorWrite(doomed);

            doomed.kill();
            alice.awaitClosed();
            // bob signals alice while her node is dead: the message waits for her, on whichever node she resumes
            bob.sendNumbered(answer("call", "alice", sdp("b1", "while-away")));
            bob.next(m -> m.hasAck() && m.getAck().getSuccess(), "ack of the answer to the absent alice");

            try (GrpcPeer back = new GrpcPeer("alice again", survivor.port())) {
                back.send(resume(welcome.getResumeToken(), lastReceived).build());
                Welcome resumed = back.next(WELCOME).getWelcome();
                assertTrue(resumed.getResumed(), "resumed on the other node");
                assertEquals(offered, resumed.getLastProcessedSequence(), "its processed sequences came along");
                assertEquals("while-away", label(back.next(ANSWER).getAnswer().getSdp()));

                // it is still in the call: signals flow both ways from the new node, and the old offer stays done
                back.send(offer("call", "bob", sdp("a1", "before")).setSequence(offered).build());
                assertTrue(back.next(m -> m.hasAck(), "ack").getAck().getDuplicate());
                back.send(offer("call", "bob", sdp("a2", "after")).setSequence(offered + 1).build());
                assertEquals("after", label(bob.next(OFFER).getOffer().getSdp()));
                assertTrue(bob.drain().stream().noneMatch(ServerMessage::hasPeerLeft), "bob never saw alice leave");
            }
        }
    }

    @Test
    void peersOfAKilledNodeSeeItsSessionsLeaveAfterTheResumeWindow() throws Exception {
        try (ServerProcess doomed = node(); ServerProcess survivor = node();
             GrpcPeer alice = new GrpcPeer("alice", doomed.port());
             WebSocketPeer bob = new WebSocketPeer("bob", survivor.port(), false)) {
            Peer.meet("call", alice, "alice", bob, "bob");
            Welcome welcome = alice.received().stream().filter(ServerMessage::hasWelcome).findFirst().orElseThrow()
                    .getWelcome();
            long killedAt = System.nanoTime();
            doomed.kill();
            ServerMessage left = bob.next(PEER_LEFT);   // within Peer.TIMEOUT, which exceeds timeout + window
            long afterMs = (System.nanoTime() - killedAt) / 1_000_000;
            assertEquals("alice", left.getPeerLeft().getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_TIMEOUT, left.getPeerLeft().getReason());
            assertTrue(afterMs >= RESUME_WINDOW.toMillis(), "not before the resume window: " + afterMs + " ms");

            // her session ended with that: a late resume fails (the SDKs then open a fresh session and re-join)
            try (GrpcPeer late = new GrpcPeer("alice too late", survivor.port())) {
                late.send(resume(welcome.getResumeToken(), alice.lastSequence()).build());
                assertEquals(ErrorCode.ERROR_CODE_RESUME_FAILED, late.next(m -> m.hasError(), "error").getError()
                        .getCode());
            }

            // no stale membership: a newcomer finds only bob
            try (GrpcPeer carol = new GrpcPeer("carol", survivor.port())) {
                carol.hello("carol");
                ServerMessage joined = carol.join("call");
                assertEquals(1, joined.getRoomJoined().getMembersCount(), joined.toString());
                assertEquals("bob", joined.getRoomJoined().getMembers(0).getUserId());
            }
        }
    }

    @Test
    void aReconnectToAnotherLiveNodeTakesTheSessionOver() throws Exception {
        try (ServerProcess first = node(); ServerProcess second = node();
             GrpcPeer alice = new GrpcPeer("alice", first.port());
             GrpcPeer bob = new GrpcPeer("bob", first.port())) {
            Peer.meet("call", alice, "alice", bob, "bob");
            Welcome welcome = alice.received().stream().filter(ServerMessage::hasWelcome).findFirst().orElseThrow()
                    .getWelcome();
            long lastReceived = alice.lastSequence();
            bob.sendNumbered(offer("call", "alice", sdp("b1", "unseen")));
            alice.next(OFFER);      // arrived, but the client will claim it did not: it must be replayed

            try (WebSocketPeer back = new WebSocketPeer("alice elsewhere", second.port(), false)) {
                back.send(resume(welcome.getResumeToken(), lastReceived).build());
                assertTrue(back.next(WELCOME).getWelcome().getResumed());
                assertEquals("unseen", label(back.next(OFFER).getOffer().getSdp()), "replayed from the old node");
                alice.awaitClosed();    // the old node let go of it

                // bob, still on the first node, now reaches alice on the second
                bob.sendNumbered(offer("call", "alice", sdp("b2", "moved")));
                assertEquals("moved", label(back.next(OFFER).getOffer().getSdp()));
                back.sendNumbered(answer("call", "bob", sdp("a1", "from-second")));
                assertEquals("from-second", label(bob.next(ANSWER).getAnswer().getSdp()));
                assertTrue(bob.drain().stream().noneMatch(ServerMessage::hasPeerLeft), "no peer_left for a move");
            }
        }
    }

    @Test
    void drainingANodeMovesItsSessionsToAnotherWithoutEndingThem() throws Exception {
        try (ServerProcess draining = node(); ServerProcess staying = node();
             GrpcPeer alice = new GrpcPeer("alice", draining.port());
             WebSocketPeer bob = new WebSocketPeer("bob", staying.port(), false)) {
            Peer.meet("call", alice, "alice", bob, "bob");
            Welcome welcome = alice.received().stream().filter(ServerMessage::hasWelcome).findFirst().orElseThrow()
                    .getWelcome();

            draining.process().destroy();   // SIGTERM: the node drains
            alice.next(GOING_AWAY);
            // as the SDKs do: reconnect (through the load balancer, here straight to the other node) and resume
            try (GrpcPeer back = new GrpcPeer("alice moved", staying.port())) {
                back.send(resume(welcome.getResumeToken(), alice.lastSequence()).build());
                assertTrue(back.next(WELCOME).getWelcome().getResumed(), "the session moved, it did not restart");
                alice.awaitClosed();
                assertTrue(draining.process().waitFor(15, TimeUnit.SECONDS), "the drained node stopped");

                back.sendNumbered(offer("call", "bob", sdp("a1", "after-drain")));
                assertEquals("after-drain", label(bob.next(OFFER).getOffer().getSdp()));
                bob.sendNumbered(answer("call", "alice", sdp("b1", "reply")));
                assertEquals("reply", label(back.next(ANSWER).getAnswer().getSdp()));
                assertTrue(bob.drain().stream().noneMatch(ServerMessage::hasPeerLeft), "bob never saw alice leave");
            }
        }
    }

    @Test
    void withRedisDownJoinsAreRefusedLocalPairsGoOnAndItAllRecovers() throws Exception {
        try (ServerProcess first = node(); ServerProcess second = node();
             GrpcPeer alice = new GrpcPeer("alice", first.port());
             GrpcPeer dave = new GrpcPeer("dave", first.port());
             WebSocketPeer bob = new WebSocketPeer("bob", second.port(), true);
             GrpcPeer carol = new GrpcPeer("carol", first.port())) {
            Peer.meet("call", alice, "alice", bob, "bob");
            dave.hello("dave");
            dave.join("call");
            alice.next(PEER_JOINED);
            carol.hello("carol");
            assertEquals(200, readiness(first));

            redis.stop();
            awaitReadiness(first, 503);
            carol.send(join("other").build());
            assertEquals(ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, carol.next(m -> m.hasError(), "error")
                    .getError().getCode());
            long toDave = alice.sendNumbered(offer("call", "dave", sdp("a1", "local")));
            assertEquals("local", label(dave.next(OFFER).getOffer().getSdp()), "a pair on one node goes on");
            alice.next(m -> m.hasAck() && m.getAck().getSequence() == toDave && m.getAck().getSuccess(), "ack");
            long toBob = alice.sendNumbered(offer("call", "bob", sdp("a1", "remote")));
            ServerMessage refused = alice.next(m -> m.hasAck() && m.getAck().getSequence() == toBob, "ack");
            assertEquals(ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, refused.getAck().getErrorCode(),
                         "a signal to another node is refused, not lost silently");

            redis.restart();        // empty: every node writes its state again
            awaitReadiness(first, 200);
            awaitReadiness(second, 200);
            alice.send(offer("call", "bob", sdp("a1", "remote")).setSequence(toBob).build());
            assertEquals("remote", label(bob.next(OFFER).getOffer().getSdp()), "the re-send goes through");
            carol.send(join("call").build());
            ServerMessage joined = carol.next(ROOM_JOINED);
            assertEquals(3, joined.getRoomJoined().getMembersCount(), "membership was rebuilt: " + joined);
            assertEquals("carol", bob.next(PEER_JOINED).getPeerJoined().getUserId());
        }
    }

    private ServerProcess node() throws Exception {
        return ServerProcess.start(Map.of(
                "CLUSTER_MODE", "redis",
                "CLUSTER_REDIS_URI", redis.uri(),
                "CLUSTER_HEARTBEAT_dash_INTERVAL", "PT0.2S",
                "CLUSTER_NODE_dash_TIMEOUT", NODE_TIMEOUT.toString(),
                "RESUME_WINDOW", RESUME_WINDOW.toString()));
    }

    /** Waits until everything the node's sessions did so far is written to Redis. */
    private static void awaitMirrorWrite(ServerProcess server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Prometheus.scrape(server.port()).get("switchboard_cluster_mirror_pending") > 0) {
            assertFalse(System.nanoTime() > deadline, "session state still unwritten after 10 s");
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());     // poll interval; the deadline bounds it
        }
    }

    private static int readiness(ServerProcess server) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri("/observe/health/ready")).build(),
                         HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void awaitReadiness(ServerProcess server, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int last;
        while ((last = readiness(server)) != status) {
            assertFalse(System.nanoTime() > deadline, "readiness stayed " + last + ", expected " + status);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());     // poll interval; the deadline bounds it
        }
    }

    /** The session name ({@code s=}) that {@link dev.switchboard.testkit.Messages#sdp} labels an SDP with. */
    private static String label(String sdp) {
        return sdp.lines().filter(line -> line.startsWith("s=")).findFirst().orElseThrow().substring(2);
    }
}
