package dev.switchboard.server.signaling;

import java.util.List;
import java.util.UUID;

import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.session.CloseCause;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;

import static java.lang.System.Logger.Level.INFO;

/**
 * Opens sessions on {@code hello} and ends them: on disconnect, or when a newer session of the same user takes
 * over.
 */
final class SessionLifecycle {
    private static final System.Logger LOG = System.getLogger("switchboard.session");

    private final SessionRegistry sessions;
    private final RoomRegistry rooms;
    private final IceServerProvider iceServers;

    SessionLifecycle(SessionRegistry sessions, RoomRegistry rooms, IceServerProvider iceServers) {
        this.sessions = sessions;
        this.rooms = rooms;
        this.iceServers = iceServers;
    }

    /**
     * Handles {@code hello} on a connection that has no session yet.
     */
    void open(Connection connection, Hello hello, String requestId) {
        String userId = hello.getUserId();
        if (userId.isEmpty()) {
            connection.reply(ServerMessage.newBuilder().setRequestId(requestId).setError(
                    Session.error(ErrorCode.ERROR_CODE_INVALID_MESSAGE, "hello.user_id is required", requestId,
                                  false)));
            return;
        }
        Session session = new Session(UUID.randomUUID().toString(), userId, connection.link().transport(),
                                      connection.outbox());
        if (!connection.bind(session)) {
            return;     // the connection closed while we were opening; nothing was registered
        }
        sessions.register(session).ifPresent(this::replace);
        session.send(ServerMessage.newBuilder()
                             .setRequestId(requestId)
                             .setWelcome(Welcome.newBuilder()
                                                 .setSessionId(session.id())
                                                 .setUserId(userId)
                                                 .addAllIceServers(iceServers.serversFor(userId))));
        LOG.log(INFO, "Session opened: " + session + clientLabel(hello));
    }

    /**
     * Ends a session whose connection is gone: it leaves its rooms and the others see {@code peer_left}.
     */
    void disconnected(Session session) {
        end(session, PeerLeftReason.PEER_LEFT_REASON_DISCONNECTED, "disconnected");
    }

    private void replace(Session older) {
        end(older, PeerLeftReason.PEER_LEFT_REASON_REPLACED, "replaced by a newer session");
        older.sendAndClose(ServerMessage.newBuilder().setError(
                Session.error(ErrorCode.ERROR_CODE_SESSION_REPLACED,
                              "a newer session of " + older.userId() + " took over", "", true)),
                           CloseCause.REPLACED);
    }

    private void end(Session session, PeerLeftReason reason, String why) {
        if (!session.end()) {
            return;
        }
        for (String roomId : List.copyOf(session.rooms())) {
            rooms.leave(roomId, session, reason);
        }
        sessions.unregister(session);
        LOG.log(INFO, "Session closed: " + session + ": " + why);
    }

    private static String clientLabel(Hello hello) {
        if (hello.getClientName().isEmpty()) {
            return "";
        }
        return " with " + hello.getClientName()
                + (hello.getClientVersion().isEmpty() ? "" : " " + hello.getClientVersion());
    }
}
