package dev.switchboard.server.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.auth.Identity;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * A session this node took over from another node (which died, or handed it over), to resume it here.
 *
 * @param record       its state
 * @param lastSequence the sequence of the last message it was sent
 * @param replay       the messages its client may not have received, in order
 * @param pending      messages for it that arrived while its node was dead, not numbered yet
 * @param rooms        the rooms it is still in (those the cluster did not remove it from meanwhile), each with
 *                     its members on other nodes
 * @param ownerDied    whether its node died (rather than handing it over): what the node sent last may never
 *                     have reached the backend, so the client may have received more than {@code lastSequence}
 */
public record ClaimedSession(SessionRecord record,
                             long lastSequence,
                             List<ServerMessage> replay,
                             List<ServerMessage> pending,
                             Map<String, List<RemotePeer>> rooms,
                             boolean ownerDied) {
    /**
     * @return the identity the session proved (when it opened, or re-authenticated), as its record keeps it
     */
    public Identity identity() {
        return new Identity(record.getUserId(),
                            record.getRoomsRestricted() ? Optional.of(List.copyOf(record.getAllowedRoomsList()))
                                    : Optional.empty(),
                            record.getIdentityExpiresAtMs() == 0 ? Optional.empty()
                                    : Optional.of(Instant.ofEpochMilli(record.getIdentityExpiresAtMs())),
                            record.getProfileMap());
    }
}
