package dev.switchboard.server.signaling;

import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.relay.SignalRelay;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.session.PeerLink;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.server.session.SessionSettings;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.Pong;
import dev.switchboard.signaling.v1.RoomLeft;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The signaling core: the one place that sessions, rooms and relay are driven from, whatever transport a
 * message arrived on. Transports only {@link #open} a connection per peer and feed it decoded messages.
 */
public final class SignalingCore {
    private static final System.Logger LOG = System.getLogger("switchboard.signaling");

    private final SessionSettings sessionSettings;
    private final RoomRegistry rooms;
    private final SignalRelay relay;
    private final SessionLifecycle lifecycle;

    /**
     * @param sessionSettings per-session bounds
     * @param sessions        the live sessions
     * @param rooms           the rooms
     * @param iceServers      ICE servers for {@code welcome}
     */
    public SignalingCore(SessionSettings sessionSettings,
                         SessionRegistry sessions,
                         RoomRegistry rooms,
                         IceServerProvider iceServers) {
        this.sessionSettings = sessionSettings;
        this.rooms = rooms;
        this.relay = new SignalRelay(rooms);
        this.lifecycle = new SessionLifecycle(sessions, rooms, iceServers);
    }

    /**
     * Opens a connection for a new transport link; the peer must now send {@code hello}.
     *
     * @param link the transport side
     * @return where the transport delivers what it reads
     */
    public Connection open(PeerLink link) {
        return new Connection(this, link, sessionSettings);
    }

    void dispatch(Connection connection, ClientMessage message) {
        try {
            Session session = connection.session();
            if (message.hasHello()) {
                if (session == null) {
                    lifecycle.open(connection, message.getHello(), message.getRequestId());
                } else {
                    session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE, "hello already received",
                                      message.getRequestId());
                }
                return;
            }
            if (session == null) {
                connection.reply(ServerMessage.newBuilder().setRequestId(message.getRequestId()).setError(
                        Session.error(ErrorCode.ERROR_CODE_HELLO_REQUIRED,
                                      "send hello before " + payloadName(message), message.getRequestId(), false)));
                return;
            }
            switch (message.getPayloadCase()) {
                case JOIN -> join(session, message);
                case LEAVE -> leave(session, message);
                case OFFER, ANSWER, ICE_CANDIDATE -> relay.relay(session, message);
                case CONNECTION_STATE_UPDATE -> stateUpdate(session, message);
                case PING -> session.send(ServerMessage.newBuilder()
                                                  .setRequestId(message.getRequestId())
                                                  .setPong(Pong.newBuilder()
                                                                   .setClientTimeMs(message.getPing().getClientTimeMs())
                                                                   .setServerTimeMs(System.currentTimeMillis())));
                default -> session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE,
                                             "message has no payload this server understands",
                                             message.getRequestId());
            }
        } catch (RuntimeException e) {
            LOG.log(WARNING, "Failed to handle " + payloadName(message), e);
            connection.reply(ServerMessage.newBuilder().setError(
                    Session.error(ErrorCode.ERROR_CODE_INTERNAL, "internal error", message.getRequestId(), false)));
        }
    }

    void disconnected(Session session) {
        lifecycle.disconnected(session);
    }

    private void join(Session session, ClientMessage message) {
        String roomId = message.getJoin().getRoomId();
        if (roomId.isEmpty()) {
            session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE, "join.room_id is required", message.getRequestId());
            return;
        }
        rooms.join(roomId, session, message.getRequestId());
    }

    private void leave(Session session, ClientMessage message) {
        String roomId = message.getLeave().getRoomId();
        if (!rooms.leave(roomId, session, PeerLeftReason.PEER_LEFT_REASON_LEFT)) {
            session.sendError(ErrorCode.ERROR_CODE_NOT_IN_ROOM, "you are not in room " + roomId,
                              message.getRequestId());
            return;
        }
        session.send(ServerMessage.newBuilder()
                             .setRequestId(message.getRequestId())
                             .setRoomLeft(RoomLeft.newBuilder().setRoomId(roomId)));
    }

    private void stateUpdate(Session session, ClientMessage message) {
        ConnectionStateUpdate update = message.getConnectionStateUpdate();
        if (rooms.member(update.getRoomId(), session.userId()).orElse(null) != session) {
            session.sendError(ErrorCode.ERROR_CODE_NOT_IN_ROOM, "you are not in room " + update.getRoomId(),
                              message.getRequestId());
            return;
        }
        if (rooms.member(update.getRoomId(), update.getTargetUserId()).isEmpty()) {
            session.sendError(ErrorCode.ERROR_CODE_PEER_NOT_FOUND,
                              update.getTargetUserId() + " is not in room " + update.getRoomId(),
                              message.getRequestId());
            return;
        }
        LOG.log(INFO, "Connection state updated: " + session.userId() + " -> " + update.getTargetUserId() + " "
                + StateNames.connection(update.getConnectionState()));
    }

    private static String payloadName(ClientMessage message) {
        return message.getPayloadCase().name().toLowerCase();
    }
}
