package dev.switchboard.server.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.admin.AdminAccess;
import dev.switchboard.server.reliability.monitor.ConnectionMonitor;
import dev.switchboard.server.room.Rooms;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /webrtc/rooms/{roomId}/connections}: every pair of a room's members with both sides' reported
 * states, the derived health, the restart attempt and time in state, as the proto3 JSON of
 * {@code RoomConnections}. 404 when the room does not exist (it has no members).
 */
public final class ConnectionsEndpoint implements HttpService {
    /** Path of the endpoint, under {@code /webrtc}. */
    public static final String PATH = "/rooms/{roomId}/connections";

    private final Rooms rooms;
    private final ConnectionMonitor monitor;
    private final AdminAccess access;
    // Every field, defaults included: a dashboard should see "restartAttempt": 0, not guess it.
    private final JsonFormat.Printer printer = JsonFormat.printer().includingDefaultValueFields();

    /**
     * @param rooms   room membership
     * @param monitor reported states
     * @param access  an operator view: with {@code admin.token} set, only for its holder
     */
    public ConnectionsEndpoint(Rooms rooms, ConnectionMonitor monitor, AdminAccess access) {
        this.rooms = rooms;
        this.monitor = monitor;
        this.access = access;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::get);
    }

    private void get(ServerRequest request, ServerResponse response) throws InvalidProtocolBufferException {
        if (!access.allows(request, response)) {
            return;
        }
        String roomId = request.path().pathParameters().get("roomId");
        response.header(HeaderValues.CACHE_NO_CACHE);
        var members = rooms.members(roomId);
        if (members.isEmpty()) {
            response.status(Status.NOT_FOUND_404).send("no room " + roomId);
            return;
        }
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.send(printer.print(monitor.snapshot(roomId, members.get())));
    }
}
