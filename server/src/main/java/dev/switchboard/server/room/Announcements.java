package dev.switchboard.server.room;

import java.util.Map;

import dev.switchboard.signaling.v1.Member;
import dev.switchboard.signaling.v1.PeerJoined;
import dev.switchboard.signaling.v1.PeerLeft;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * What a room tells its members, built in one place whether the member who came or went lives on this node or
 * another.
 */
final class Announcements {
    private Announcements() {
    }

    /**
     * @param roomId the room
     * @param joined  who joined
     * @param profile its display fields
     * @param toldTo  the member told, whose role towards the newcomer the message carries
     * @return {@code peer_joined}
     */
    static ServerMessage.Builder peerJoined(String roomId, String joined, Map<String, String> profile,
                                            String toldTo) {
        return ServerMessage.newBuilder().setPeerJoined(PeerJoined.newBuilder()
                                                                .setRoomId(roomId)
                                                                .setUserId(joined)
                                                                .setRole(NegotiationRoles.roleOf(toldTo, joined))
                                                                .putAllProfile(profile));
    }

    /**
     * @param roomId the room
     * @param left   who left
     * @param reason why
     * @return {@code peer_left}
     */
    static ServerMessage.Builder peerLeft(String roomId, String left, PeerLeftReason reason) {
        return ServerMessage.newBuilder().setPeerLeft(PeerLeft.newBuilder()
                                                              .setRoomId(roomId)
                                                              .setUserId(left)
                                                              .setReason(reason));
    }

    /**
     * @param toldTo  the member told
     * @param other   another member of the room
     * @param profile the other member's display fields
     * @return the other member as {@code room_joined} lists it, with {@code toldTo}'s role towards it
     */
    static Member.Builder member(String toldTo, String other, Map<String, String> profile) {
        return Member.newBuilder().setUserId(other).setRole(NegotiationRoles.roleOf(toldTo, other))
                .putAllProfile(profile);
    }

    /**
     * @param reason why a member left
     * @return its name in log lines
     */
    static String label(PeerLeftReason reason) {
        return reason.name().substring("PEER_LEFT_REASON_".length()).toLowerCase();
    }
}
