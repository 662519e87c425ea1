package dev.switchboard.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.ice.TurnRestCredentials;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.GetIceServersRequest;
import dev.switchboard.signaling.v1.GetIceServersResponse;
import dev.switchboard.signaling.v1.IceRestartRequired;
import dev.switchboard.signaling.v1.IceServer;
import dev.switchboard.signaling.v1.IceServersUpdated;
import dev.switchboard.signaling.v1.IceServiceGrpc;
import dev.switchboard.signaling.v1.Welcome;
import dev.switchboard.testkit.GrpcPeer;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.switchboard.signaling.v1.PeerConnectionState.PEER_CONNECTION_STATE_FAILED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ICE_RESTART_REQUIRED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ICE_SERVERS_UPDATED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.WELCOME;
import static dev.switchboard.testkit.Messages.resume;
import static dev.switchboard.testkit.Messages.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ICE server list, the same through REST, gRPC, welcome and ice_restart_required, from the STUN list and the
 * TURN settings; short-lived TURN credentials refreshed before they expire.
 */
class IceServersTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void stunOnlyByDefault() throws Exception {
        try (TestServer server = TestServer.start(Map.of("stun.urls", "stun:127.0.0.1:3478, stun:[::1]:3478"))) {
            String json = get(server, "/webrtc/ice-servers");
            assertEquals("{\"iceServers\":[{\"urls\":[\"stun:127.0.0.1:3478\",\"stun:[::1]:3478\"]}]}",
                         json.replaceAll("\\s", ""));
            List<IceServer> viaGrpc = viaGrpc(server);
            assertEquals(1, viaGrpc.size());
            assertEquals(List.of("stun:127.0.0.1:3478", "stun:[::1]:3478"), viaGrpc.getFirst().getUrlsList());
            assertEquals(viaGrpc, viaWelcome(server));
            assertEquals(viaGrpc, parse(json));
        }
    }

    @Test
    void staticTurnFromTheOldGatewaysSettings() throws Exception {
        try (TestServer server = TestServer.start(Map.of("turn.url", "turn:127.0.0.1:3478?transport=udp",
                                                         "turn.username", "gateway",
                                                         "turn.password", "s3cret"))) {
            String json = get(server, "/webrtc/ice-servers");
            List<IceServer> viaRest = parse(json);
            assertEquals(2, viaRest.size());
            IceServer turn = viaRest.get(1);
            assertEquals(List.of("turn:127.0.0.1:3478?transport=udp"), turn.getUrlsList());
            assertEquals("gateway", turn.getUsername());
            assertEquals("s3cret", turn.getCredential());
            assertTrue(json.contains("\"credential\""), json);
            assertEquals(viaRest, viaGrpc(server));
            assertEquals(viaRest, viaWelcome(server));
        }
    }

    @Test
    void restCredentialsAreIssuedToEachUserWhicheverWayTheyAsk() throws Exception {
        try (TestServer server = TestServer.start(Map.of("stun.urls", "stun:127.0.0.1:3478",
                                                         "turn.url", "turn:127.0.0.1:3478?transport=udp",
                                                         "turn.urls", "turns:127.0.0.1:5349?transport=tcp",
                                                         "turn.secret", "new-secret,old-secret",
                                                         "turn.ttl", "3600"))) {
            long before = System.currentTimeMillis();
            String json = get(server, "/webrtc/ice-servers?userId=carol");
            GetIceServersResponse viaRest = parseResponse(json);
            assertEquals(3600, viaRest.getTtl());
            assertTrue(json.contains("\"ttl\": 3600"), json);
            assertTrue(json.contains("\"expiresAtMs\""), json);
            assertSignedTurnCredential(viaRest.getIceServers(1), "new-secret", "carol", viaRest.getExpiresAtMs(),
                                       before);
            assertEquals(List.of("turn:127.0.0.1:3478?transport=udp", "turns:127.0.0.1:5349?transport=tcp"),
                         viaRest.getIceServers(1).getUrlsList());

            GetIceServersResponse viaGrpc = grpcResponse(server);
            assertEquals(3600, viaGrpc.getTtl());
            assertSignedTurnCredential(viaGrpc.getIceServers(1), "new-secret", "backend", viaGrpc.getExpiresAtMs(),
                                       before);

            try (GrpcPeer peer = new GrpcPeer("ice", server.port())) {
                Welcome welcome = peer.hello("dave").getWelcome();
                assertSignedTurnCredential(welcome.getIceServers(1), "new-secret", "dave",
                                           welcome.getIceServersExpiresAtMs(), before);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sessionsGetFreshCredentialsBeforeTheirsExpire(Transport transport) {
        try (TestServer server = TestServer.start(Map.of("turn.url", "turn:127.0.0.1:3478",
                                                         "turn.secret", "secret", "turn.ttl", "1"));
             Peer peer = transport.connect("refresh", server.port())) {
            long before = System.currentTimeMillis();
            Welcome welcome = peer.hello("erin").getWelcome();
            long expiry = welcome.getIceServersExpiresAtMs();
            assertSignedTurnCredential(welcome.getIceServers(1), "secret", "erin", expiry, before);

            for (int refresh = 1; refresh <= 2; refresh++) {
                IceServersUpdated update = peer.next(ICE_SERVERS_UPDATED).getIceServersUpdated();
                long receivedAt = System.currentTimeMillis();
                assertTrue(receivedAt < expiry, "refresh " + refresh + " came after the old credentials expired");
                assertTrue(update.getExpiresAtMs() > expiry, "refresh " + refresh + " must outlive the old ones");
                assertSignedTurnCredential(update.getIceServers(1), "secret", "erin", update.getExpiresAtMs(),
                                           receivedAt);
                expiry = update.getExpiresAtMs();
            }
        }
    }

    @Test
    void aResumedSessionAndAnIceRestartCarryFreshCredentials() {
        try (TestServer server = TestServer.start(Map.of("turn.url", "turn:127.0.0.1:3478",
                                                         "turn.secret", "secret", "turn.ttl", "600",
                                                         "stun.urls", "", "recovery.backoff", "PT10S"));
             Peer alice = Transport.WEBSOCKET_JSON.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            long before = System.currentTimeMillis();
            Peer.meet("turn-room", alice, "alice", bob, "bob");

            bob.send(state("turn-room", "alice", PEER_CONNECTION_STATE_FAILED).build());
            IceRestartRequired restart = alice.next(ICE_RESTART_REQUIRED).getIceRestartRequired();
            assertSignedTurnCredential(restart.getIceServers(0), "secret", "alice",
                                       restart.getIceServersExpiresAtMs(), before);

            String resumeToken = bob.received().getFirst().getWelcome().getResumeToken();
            bob.abort();
            try (Peer resumed = Transport.WEBSOCKET_BINARY.connect("bob-again", server.port())) {
                resumed.send(resume(resumeToken, bob.lastSequence()).build());
                Welcome welcome = resumed.next(WELCOME).getWelcome();
                assertTrue(welcome.getResumed());
                assertSignedTurnCredential(welcome.getIceServers(0), "secret", "bob",
                                           welcome.getIceServersExpiresAtMs(), before);
            }
        }
    }

    @Test
    void noStunAtAllGivesAnEmptyList() throws Exception {
        try (TestServer server = TestServer.start(Map.of("stun.urls", ""))) {
            assertEquals("{\"iceServers\":[]}", get(server, "/webrtc/ice-servers").replaceAll("\\s", ""));
            assertTrue(viaGrpc(server).isEmpty());
        }
    }

    private static String get(TestServer server, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("application/json", response.headers().firstValue("content-type").orElse(""));
        assertFalse(response.headers().firstValue("cache-control").isEmpty());
        return response.body();
    }

    /**
     * A TURN REST credential for the user, signed with the first configured secret, valid until the expiry,
     * which is at least the TTL after the credential was asked for.
     */
    private static void assertSignedTurnCredential(IceServer turn, String secret, String userId, long expiresAtMs,
                                                   long askedAt) {
        long expirySeconds = expiresAtMs / 1000;
        assertEquals(expirySeconds * 1000, expiresAtMs, "whole seconds, as in the username");
        assertTrue(expiresAtMs > askedAt, "expires in the future");
        assertEquals(expirySeconds + ":" + userId, turn.getUsername());
        assertEquals(TurnRestCredentials.password(secret, turn.getUsername()), turn.getCredential());
    }

    private static GetIceServersResponse parseResponse(String json) throws Exception {
        GetIceServersResponse.Builder response = GetIceServersResponse.newBuilder();
        JsonFormat.parser().merge(json, response);
        return response.build();
    }

    private static List<IceServer> parse(String json) throws Exception {
        GetIceServersResponse.Builder response = GetIceServersResponse.newBuilder();
        JsonFormat.parser().merge(json, response);
        return response.getIceServersList();
    }

    private static List<IceServer> viaGrpc(TestServer server) throws InterruptedException {
        return grpcResponse(server).getIceServersList();
    }

    private static GetIceServersResponse grpcResponse(TestServer server) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            return IceServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getIceServers(GetIceServersRequest.newBuilder().setUserId("backend").build());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static List<IceServer> viaWelcome(TestServer server) throws InterruptedException {
        try (GrpcPeer peer = new GrpcPeer("ice", server.port())) {
            return peer.hello("ice-user").getWelcome().getIceServersList();
        }
    }
}
