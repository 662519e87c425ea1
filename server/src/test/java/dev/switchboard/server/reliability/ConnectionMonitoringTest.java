package dev.switchboard.server.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.NegotiationRole;
import dev.switchboard.signaling.v1.PairHealth;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.PeerPairStatus;
import dev.switchboard.signaling.v1.RoomConnections;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.switchboard.signaling.v1.PeerConnectionState.PEER_CONNECTION_STATE_CONNECTED;
import static dev.switchboard.signaling.v1.PeerConnectionState.PEER_CONNECTION_STATE_CONNECTING;
import static dev.switchboard.signaling.v1.PeerConnectionState.PEER_CONNECTION_STATE_NEW;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PONG;
import static dev.switchboard.testkit.Messages.bye;
import static dev.switchboard.testkit.Messages.leave;
import static dev.switchboard.testkit.Messages.ping;
import static dev.switchboard.testkit.Messages.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Peers' reported connection states, per pair, as GET /webrtc/rooms/{roomId}/connections serves them; and the
 * negotiation roles the server hands out.
 */
class ConnectionMonitoringTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyPairIsServedWithBothViewsAndItsHealth() throws Exception {
        try (Peer alice = Transport.WEBSOCKET_JSON.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port());
             Peer carol = Transport.WEBSOCKET_BINARY.connect("carol", server.port())) {
            alice.hello("alice");
            bob.hello("bob");
            carol.hello("carol");
            alice.join("monitored");
            bob.join("monitored");
            carol.join("monitored");

            for (PeerConnectionState reached : new PeerConnectionState[] {
                    PEER_CONNECTION_STATE_NEW, PEER_CONNECTION_STATE_CONNECTING, PEER_CONNECTION_STATE_CONNECTED}) {
                alice.send(state("monitored", "bob", reached).build());
            }
            bob.send(state("monitored", "alice", PEER_CONNECTION_STATE_CONNECTED).build());
            carol.send(state("monitored", "alice", PEER_CONNECTION_STATE_CONNECTING).build());
            // a ping after the reports: its pong proves they were processed
            for (Peer peer : new Peer[] {alice, bob, carol}) {
                peer.send(ping(1).build());
                peer.next(PONG);
            }

            RoomConnections room = connections("monitored");
            assertEquals(3, room.getPairsCount(), "alice-bob, alice-carol, bob-carol: " + room);

            PeerPairStatus aliceBob = pair(room, "alice", "bob");
            assertEquals(PairHealth.PAIR_HEALTH_CONNECTED, aliceBob.getHealth());
            assertEquals("alice", aliceBob.getImpoliteUserId());
            assertEquals(0, aliceBob.getRestartAttempt());
            assertEquals(3, aliceBob.getMaxRestartAttempts());
            assertEquals("alice", aliceBob.getFirstView().getReporterUserId());
            assertEquals(PEER_CONNECTION_STATE_CONNECTED, aliceBob.getFirstView().getConnectionState());
            assertEquals(3, aliceBob.getFirstView().getHistoryCount(), "new, connecting, connected");
            assertEquals(PEER_CONNECTION_STATE_CONNECTED, aliceBob.getSecondView().getConnectionState());
            assertTrue(aliceBob.getFirstView().getUpdatedAtMs() > 0);

            PeerPairStatus aliceCarol = pair(room, "alice", "carol");
            assertEquals(PairHealth.PAIR_HEALTH_CONNECTING, aliceCarol.getHealth());
            assertEquals(PeerConnectionState.PEER_CONNECTION_STATE_UNSPECIFIED,
                         aliceCarol.getFirstView().getConnectionState(), "alice never reported on carol");

            PeerPairStatus bobCarol = pair(room, "bob", "carol");
            assertEquals(PairHealth.PAIR_HEALTH_NEW, bobCarol.getHealth());

            // a member who leaves, or ends its session, takes its pairs along
            carol.send(bye().build());
            bob.send(leave("monitored").build());
            java.util.Set<String> gone = new java.util.HashSet<>();
            while (gone.size() < 2) {      // in either order
                gone.add(alice.next(PEER_LEFT).getPeerLeft().getUserId());
            }
            assertEquals(java.util.Set.of("bob", "carol"), gone);
            assertEquals("OK", carol.awaitClosed().replaceAll("^1000: .*", "OK"), "bye closes the connection");
            assertEquals(0, connections("monitored").getPairsCount());
        }
    }

    @Test
    void anUnknownRoomIsNotFound() throws Exception {
        HttpResponse<String> response = get("/webrtc/rooms/nowhere/connections");
        assertEquals(404, response.statusCode());
    }

    @Test
    void bothSidesOfAPairLearnOppositeRoles() {
        try (Peer zed = Transport.GRPC.connect("zed", server.port());
             Peer amy = Transport.WEBSOCKET_JSON.connect("amy", server.port())) {
            zed.hello("zed");
            amy.hello("amy");
            zed.join("roles");
            ServerMessage amyJoined = amy.join("roles");
            ServerMessage zedSawAmy = zed.next(PEER_JOINED);
            assertEquals(NegotiationRole.NEGOTIATION_ROLE_IMPOLITE, amyJoined.getRoomJoined().getMembers(0).getRole());
            assertEquals(NegotiationRole.NEGOTIATION_ROLE_POLITE, zedSawAmy.getPeerJoined().getRole());
        }
    }

    private static RoomConnections connections(String roomId) throws Exception {
        HttpResponse<String> response = get("/webrtc/rooms/" + roomId + "/connections");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        RoomConnections.Builder room = RoomConnections.newBuilder();
        JsonFormat.parser().merge(response.body(), room);
        return room.build();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                         HttpResponse.BodyHandlers.ofString());
    }

    private static PeerPairStatus pair(RoomConnections room, String first, String second) {
        return room.getPairsList().stream()
                .filter(p -> p.getFirstUserId().equals(first) && p.getSecondUserId().equals(second))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no pair " + first + "/" + second + " in " + room));
    }
}
