package dev.switchboard.server.session;

import java.time.Instant;
import java.util.ArrayList;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.auth.Identity;

/**
 * A session as the cluster stores it: the record another node needs to resume it (who, which rooms, what it
 * has processed, what its credential allows). The cluster fills in the node it lives on.
 */
public final class SessionRecords {
    private SessionRecords() {
    }

    /**
     * @param session a session
     * @return its record now
     */
    public static SessionRecord of(Session session) {
        Identity identity = session.identity();
        SessionRecord.Builder record = SessionRecord.newBuilder()
                .setSessionId(session.id())
                .setUserId(session.userId())
                .setResumeToken(session.resumeToken())
                .addAllRoomIds(new ArrayList<>(session.rooms()))
                .setDedup(session.dedup().snapshot())
                .setIdentityExpiresAtMs(identity.expiresAt().map(Instant::toEpochMilli).orElse(0L))
                .putAllProfile(identity.profile());
        identity.rooms().ifPresent(rooms -> record.setRoomsRestricted(true).addAllAllowedRooms(rooms));
        return record.build();
    }
}
