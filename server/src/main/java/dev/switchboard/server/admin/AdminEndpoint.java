package dev.switchboard.server.admin;

import java.util.List;
import java.util.Optional;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.reliability.monitor.ConnectionMonitor;
import dev.switchboard.server.room.Rooms;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.signaling.Operator;
import dev.switchboard.signaling.v1.AdminActionResponse;
import dev.switchboard.signaling.v1.ListRoomsResponse;
import dev.switchboard.signaling.v1.MemberDetail;
import dev.switchboard.signaling.v1.RoomDetail;
import dev.switchboard.signaling.v1.RoomSummary;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The admin API, under {@code /admin}, for the person on call. Every answer is the proto3 JSON of a message in
 * {@code admin.proto}; every request needs the admin token ({@link AdminAccess}).
 * <ul>
 *     <li>{@code GET /admin/rooms}: the rooms and their member counts;</li>
 *     <li>{@code GET /admin/rooms/{roomId}}: members with their sessions and transports, and every pair's roles,
 *     reported states and health;</li>
 *     <li>{@code POST /admin/rooms/{roomId}/close?reason=...}: removes every member (each gets {@code room_left}
 *     with the reason);</li>
 *     <li>{@code POST /admin/sessions/{userId}/disconnect?reason=...}: ends the user's session (fatal error
 *     {@code REMOVED} with the reason; peers see it leave).</li>
 * </ul>
 */
public final class AdminEndpoint implements HttpService {
    private final AdminAccess access;
    private final Operator operator;
    private final Rooms rooms;
    private final ConnectionMonitor monitor;
    private final JsonFormat.Printer printer = JsonFormat.printer().includingDefaultValueFields();

    /**
     * @param access  who may call it
     * @param operator where operator actions are carried out
     * @param rooms   room membership
     * @param monitor pairs' reported states
     */
    public AdminEndpoint(AdminAccess access, Operator operator, Rooms rooms, ConnectionMonitor monitor) {
        this.access = access;
        this.operator = operator;
        this.rooms = rooms;
        this.monitor = monitor;
    }

    @Override
    public void routing(HttpRules rules) {
        if (!access.enabled()) {
            return;     // no token configured: the admin API does not exist (404)
        }
        rules.get("/rooms", guarded(this::listRooms))
                .get("/rooms/{roomId}", guarded(this::room))
                .post("/rooms/{roomId}/close", guarded(this::closeRoom))
                .post("/sessions/{userId}/disconnect", guarded(this::disconnect));
    }

    private Handler guarded(Handler handler) {
        return (request, response) -> {
            if (access.allows(request, response)) {
                handler.handle(request, response);
            }
        };
    }

    private void listRooms(ServerRequest request, ServerResponse response) throws InvalidProtocolBufferException {
        ListRoomsResponse.Builder list = ListRoomsResponse.newBuilder();
        for (String roomId : rooms.roomIds()) {
            rooms.members(roomId).ifPresent(members -> list.addRooms(
                    RoomSummary.newBuilder().setRoomId(roomId).setMemberCount(members.size())));
        }
        send(response, list);
    }

    private void room(ServerRequest request, ServerResponse response) throws InvalidProtocolBufferException {
        String roomId = request.path().pathParameters().get("roomId");
        Optional<List<String>> members = rooms.members(roomId);
        if (members.isEmpty()) {
            response.status(Status.NOT_FOUND_404).send("no room " + roomId);
            return;
        }
        RoomDetail.Builder detail = RoomDetail.newBuilder()
                .setRoomId(roomId)
                .setConnections(monitor.snapshot(roomId, members.get()));
        for (String userId : members.get()) {
            rooms.member(roomId, userId).ifPresent(session -> detail.addMembers(member(session)));
        }
        send(response, detail);
    }

    private void closeRoom(ServerRequest request, ServerResponse response) throws InvalidProtocolBufferException {
        String roomId = request.path().pathParameters().get("roomId");
        String reason = reason(request);
        int removed = operator.closeRoom(roomId, reason);
        if (removed == 0) {
            response.status(Status.NOT_FOUND_404).send("no room " + roomId);
            return;
        }
        send(response, AdminActionResponse.newBuilder().setAffected(removed)
                .setDetail("removed " + removed + " members from " + roomId + ": " + reason));
    }

    private void disconnect(ServerRequest request, ServerResponse response) throws InvalidProtocolBufferException {
        String userId = request.path().pathParameters().get("userId");
        String reason = reason(request);
        if (!operator.disconnect(userId, reason)) {
            response.status(Status.NOT_FOUND_404).send("no session of " + userId);
            return;
        }
        send(response, AdminActionResponse.newBuilder().setAffected(1)
                .setDetail("disconnected " + userId + ": " + reason));
    }

    private static MemberDetail.Builder member(Session session) {
        return MemberDetail.newBuilder()
                .setUserId(session.userId())
                .setSessionId(session.id())
                .setTransport(session.transport().orElse("detached"));
    }

    private static String reason(ServerRequest request) {
        return request.query().first("reason").orElse("no reason given");
    }

    private void send(ServerResponse response, MessageOrBuilder body) throws InvalidProtocolBufferException {
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.header(HeaderValues.CACHE_NO_CACHE);
        response.send(printer.print(body));
    }
}
