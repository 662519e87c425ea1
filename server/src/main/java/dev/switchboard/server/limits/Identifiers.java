package dev.switchboard.server.limits;

import java.util.Optional;

/**
 * The form of room and user ids: 1 to {@value #MAX_LENGTH} letters, digits and {@code - _ . : @}. Ids end up in
 * logs, metrics labels and (with a cluster) keys; control characters, spaces and unbounded lengths have no place
 * in any of them.
 */
public final class Identifiers {
    /** Longest id accepted. */
    public static final int MAX_LENGTH = 128;

    private Identifiers() {
    }

    /**
     * @param what  the field, as the error names it (e.g. {@code join.room_id})
     * @param value the id
     * @return why the id is refused, or empty when it is well formed
     */
    public static Optional<String> problem(String what, String value) {
        if (value.isEmpty()) {
            return Optional.of(what + " is required");
        }
        if (value.length() > MAX_LENGTH) {
            return Optional.of(what + " is longer than " + MAX_LENGTH + " characters");
        }
        if (!wellFormed(value)) {
            return Optional.of(what + " may hold only letters, digits and - _ . : @");
        }
        return Optional.empty();
    }

    /**
     * @param value an id
     * @return whether {@link #problem} finds nothing wrong with it, without building the field's name
     */
    public static boolean wellFormed(String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!allowed(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == ':' || c == '@';
    }
}
