package dev.switchboard.server.auth;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who a session belongs to, as established when it opened (or last re-authenticated).
 *
 * @param userId    the user
 * @param rooms     the rooms the credential allows ({@code *} matches any run of characters); empty: any room
 * @param expiresAt when the credential expires; empty: never (auth.mode none)
 * @param profile   display fields for the user's room peers ({@code auth.jwt.profile-claims}), in that order
 */
public record Identity(String userId, Optional<List<String>> rooms, Optional<Instant> expiresAt,
                       Map<String, String> profile) {
    /** Longest profile value kept, in chars: a longer one (a claim meant for something else) is left out. */
    public static final int MAX_PROFILE_VALUE_CHARS = 1024;

    /**
     * @param profile copied, its order kept
     */
    public Identity {
        profile = Collections.unmodifiableMap(new LinkedHashMap<>(profile));
    }

    /**
     * @param userId a user, taken as stated (auth.mode none)
     * @return an identity with no room restriction and no profile that never expires
     */
    public static Identity unverified(String userId) {
        return new Identity(userId, Optional.empty(), Optional.empty(), Map.of());
    }

    /**
     * @param now the time
     * @return whether the credential has expired
     */
    public boolean expired(Instant now) {
        return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
    }

    /**
     * @param roomId a room
     * @return whether the credential allows joining it
     */
    public boolean mayJoin(String roomId) {
        return rooms.isEmpty() || rooms.get().stream().anyMatch(pattern -> matches(pattern, roomId));
    }

    private static boolean matches(String pattern, String roomId) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(roomId);
        }
        // glob with '*': every literal part in order, the first anchored at the start, the last at the end
        String[] parts = pattern.split("\\*", -1);
        if (!roomId.startsWith(parts[0])) {
            return false;
        }
        int at = parts[0].length();
        for (int i = 1; i < parts.length - 1; i++) {
            int found = roomId.indexOf(parts[i], at);
            if (found < 0) {
                return false;
            }
            at = found + parts[i].length();
        }
        String last = parts[parts.length - 1];
        return roomId.length() - last.length() >= at && roomId.endsWith(last);
    }
}
