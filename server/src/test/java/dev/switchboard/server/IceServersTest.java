package dev.switchboard.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.testing.GrpcPeer;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.GetIceServersRequest;
import dev.switchboard.signaling.v1.GetIceServersResponse;
import dev.switchboard.signaling.v1.IceServer;
import dev.switchboard.signaling.v1.IceServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ICE server list, the same through REST, gRPC and welcome, from the STUN list and the static TURN settings.
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

    private static List<IceServer> parse(String json) throws Exception {
        GetIceServersResponse.Builder response = GetIceServersResponse.newBuilder();
        JsonFormat.parser().merge(json, response);
        return response.getIceServersList();
    }

    private static List<IceServer> viaGrpc(TestServer server) throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            return IceServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getIceServers(GetIceServersRequest.newBuilder().setUserId("backend").build())
                    .getIceServersList();
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
