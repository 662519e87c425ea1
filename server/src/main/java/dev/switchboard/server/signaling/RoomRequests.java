package dev.switchboard.server.signaling;

import java.time.Instant;
import java.util.Optional;

import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.limits.Identifiers;
import dev.switchboard.server.reliability.monitor.ConnectionMonitor;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.room.Rooms;
import dev.switchboard.server.routing.Recipient;
import dev.switchboard.server.routing.Router;
import dev.switchboard.server.session.Session;
import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.IceConnectionState;
import dev.switchboard.signaling.v1.IceGatheringState;
import dev.switchboard.signaling.v1.Join;
import dev.switchboard.signaling.v1.Leave;
import dev.switchboard.signaling.v1.MediaState;
import dev.switchboard.signaling.v1.MediaUpdate;
import dev.switchboard.signaling.v1.PeerMediaChanged;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.RoomLeft;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * A client's requests about its rooms: join, leave, and the connection states it reports towards a peer. Each is
 * checked here (ids, the token's rights, membership) before the room registry or the monitor sees it.
 */
final class RoomRequests {
    private final RoomRegistry registry;
    private final Rooms rooms;
    private final ConnectionMonitor monitor;
    private final Router router;

    RoomRequests(RoomRegistry registry, Rooms rooms, ConnectionMonitor monitor, Router router) {
        this.registry = registry;
        this.rooms = rooms;
        this.monitor = monitor;
        this.router = router;
    }

    void join(Session session, Join join, String requestId) {
        String roomId = join.getRoomId();
        Optional<String> badId = Identifiers.problem("join.room_id", roomId);
        if (badId.isPresent()) {
            session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE, badId.get(), requestId);
            return;
        }
        Identity identity = session.identity();
        if (identity.expired(Instant.now())) {
            session.sendError(ErrorCode.ERROR_CODE_UNAUTHENTICATED,
                              "the session's token has expired; send authenticate with a fresh one", requestId);
            return;
        }
        if (!identity.mayJoin(roomId)) {
            session.sendError(ErrorCode.ERROR_CODE_PERMISSION_DENIED, "the token does not allow room " + roomId,
                              requestId);
            return;
        }
        registry.join(roomId, session, requestId);
    }

    void leave(Session session, Leave leave, String requestId) {
        String roomId = leave.getRoomId();
        if (!registry.leave(roomId, session, PeerLeftReason.PEER_LEFT_REASON_LEFT)) {
            session.sendError(ErrorCode.ERROR_CODE_NOT_IN_ROOM, "you are not in room " + roomId, requestId);
            return;
        }
        session.send(ServerMessage.newBuilder().setRequestId(requestId)
                             .setRoomLeft(RoomLeft.newBuilder().setRoomId(roomId)));
    }

    void stateUpdate(Session session, ConnectionStateUpdate update, String requestId) {
        Optional<String> problem = Identifiers.problem("connection_state_update.room_id", update.getRoomId())
                .or(() -> Identifiers.problem("connection_state_update.target_user_id", update.getTargetUserId()))
                .or(() -> unknownStates(update));
        if (problem.isPresent()) {
            session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE, problem.get(), requestId);
            return;
        }
        if (rooms.member(update.getRoomId(), session.userId()).orElse(null) != session) {
            session.sendError(ErrorCode.ERROR_CODE_NOT_IN_ROOM, "you are not in room " + update.getRoomId(),
                              requestId);
            return;
        }
        if (update.getTargetUserId().equals(session.userId())
                || !rooms.isMember(update.getRoomId(), update.getTargetUserId())) {
            session.sendError(ErrorCode.ERROR_CODE_PEER_NOT_FOUND,
                              update.getTargetUserId() + " is not in room " + update.getRoomId(), requestId);
            return;
        }
        monitor.report(update.getRoomId(), session.userId(), update);
    }

    /**
     * Tells the room's other members, wherever they live, that the sender's media changed. A member on a node the
     * cluster cannot reach now misses it: a media state is a hint that the next one replaces, not a signal that
     * must arrive.
     */
    void mediaUpdate(Session session, MediaUpdate update, String requestId) {
        String roomId = update.getRoomId();
        Optional<String> problem = Identifiers.problem("media_update.room_id", roomId)
                .or(() -> noMedia(update.getMedia()));
        if (problem.isPresent()) {
            session.sendError(ErrorCode.ERROR_CODE_INVALID_MESSAGE, problem.get(), requestId);
            return;
        }
        if (rooms.member(roomId, session.userId()).orElse(null) != session) {
            session.sendError(ErrorCode.ERROR_CODE_NOT_IN_ROOM, "you are not in room " + roomId, requestId);
            return;
        }
        PeerMediaChanged.Builder changed = PeerMediaChanged.newBuilder().setRoomId(roomId)
                .setUserId(session.userId()).setMedia(update.getMedia());
        for (Recipient member : router.everyone(roomId)) {
            if (!member.userId().equals(session.userId())) {
                member.deliver(ServerMessage.newBuilder().setPeerMediaChanged(changed));
            }
        }
    }

    private static Optional<String> noMedia(MediaState media) {
        return media.hasAudio() || media.hasVideo() || media.hasScreen() ? Optional.empty()
                : Optional.of("media_update.media states none of audio, video, screen");
    }

    /** States this server does not know (a newer client's, or garbage) are refused, not half-recorded. */
    private static Optional<String> unknownStates(ConnectionStateUpdate update) {
        if (update.getConnectionState() == PeerConnectionState.UNRECOGNIZED
                || update.getIceConnectionState() == IceConnectionState.UNRECOGNIZED
                || update.getIceGatheringState() == IceGatheringState.UNRECOGNIZED) {
            return Optional.of("connection_state_update carries a state value this server does not know");
        }
        return Optional.empty();
    }
}
