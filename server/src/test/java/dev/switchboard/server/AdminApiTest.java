package dev.switchboard.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.AdminActionResponse;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ListRoomsResponse;
import dev.switchboard.signaling.v1.PeerLeft;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.RoomDetail;
import dev.switchboard.signaling.v1.RoomLeft;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_LEFT;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ROOM_LEFT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin API over HTTP: refused without the token, absent without one configured, and each view and action
 * seen by the peers it touches.
 */
class AdminApiTest {
    private static final String TOKEN = "admin-token-for-tests-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyAdminEndpointRefusesWithoutTheToken() throws Exception {
        try (TestServer server = TestServer.start(Map.of("admin.token", TOKEN))) {
            for (String[] call : new String[][] {{"GET", "/admin/rooms"}, {"GET", "/admin/rooms/r1"},
                    {"POST", "/admin/rooms/r1/close"}, {"POST", "/admin/sessions/alice/disconnect"},
                    {"GET", "/webrtc/rooms/r1/connections"}}) {
                assertEquals(401, call(server, call[0], call[1], null).statusCode(), call[1] + " without a token");
                assertEquals(401, call(server, call[0], call[1], "not-the-token").statusCode(),
                             call[1] + " with a wrong token");
            }
        }
    }

    @Test
    void withoutAConfiguredTokenThereIsNoAdminApi() throws Exception {
        try (TestServer server = TestServer.start()) {
            assertEquals(404, call(server, "GET", "/admin/rooms", TOKEN).statusCode());
        }
    }

    @Test
    void roomsCanBeListedInspectedAndClosed() throws Exception {
        try (TestServer server = TestServer.start(Map.of("admin.token", TOKEN));
             Peer alice = Transport.WEBSOCKET_JSON.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            Peer.meet("ops", alice, "alice", bob, "bob");

            ListRoomsResponse list = parse(call(server, "GET", "/admin/rooms", TOKEN), ListRoomsResponse.newBuilder());
            assertEquals("ops", list.getRooms(0).getRoomId());
            assertEquals(2, list.getRooms(0).getMemberCount());

            RoomDetail room = parse(call(server, "GET", "/admin/rooms/ops", TOKEN), RoomDetail.newBuilder());
            assertEquals("websocket", room.getMembers(0).getTransport());
            assertEquals("alice", room.getMembers(0).getUserId());
            assertEquals("grpc", room.getMembers(1).getTransport());
            assertEquals("alice", room.getConnections().getPairs(0).getImpoliteUserId());

            AdminActionResponse closed = parse(call(server, "POST", "/admin/rooms/ops/close?reason=maintenance",
                                                    TOKEN), AdminActionResponse.newBuilder());
            assertEquals(2, closed.getAffected());
            RoomLeft aliceLeft = alice.next(ROOM_LEFT).getRoomLeft();
            assertEquals("maintenance", aliceLeft.getReason());
            assertEquals("maintenance", bob.next(ROOM_LEFT).getRoomLeft().getReason());
            assertEquals(404, call(server, "GET", "/admin/rooms/ops", TOKEN).statusCode());
        }
    }

    @Test
    void aSessionCanBeDisconnectedWithAReason() throws Exception {
        try (TestServer server = TestServer.start(Map.of("admin.token", TOKEN));
             Peer alice = Transport.WEBSOCKET_BINARY.connect("alice", server.port());
             Peer bob = Transport.GRPC.connect("bob", server.port())) {
            Peer.meet("ops", alice, "alice", bob, "bob");

            AdminActionResponse done = parse(call(server, "POST", "/admin/sessions/bob/disconnect?reason=abuse",
                                                  TOKEN), AdminActionResponse.newBuilder());
            assertEquals(1, done.getAffected());

            ServerMessage removed = bob.next(ERROR);
            assertEquals(ErrorCode.ERROR_CODE_REMOVED, removed.getError().getCode());
            assertEquals("abuse", removed.getError().getMessage());
            assertTrue(removed.getError().getFatal());
            bob.awaitClosed();
            PeerLeft left = alice.next(PEER_LEFT).getPeerLeft();
            assertEquals("bob", left.getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_REMOVED, left.getReason());
            assertEquals(404, call(server, "POST", "/admin/sessions/bob/disconnect", TOKEN).statusCode());
        }
    }

    private static HttpResponse<String> call(TestServer server, String method, String path, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> T parse(HttpResponse<String> response, Message.Builder into)
            throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        JsonFormat.parser().merge(response.body(), into);
        return (T) into.build();
    }
}
