package dev.switchboard.server.room;

/**
 * An unordered pair of peers in one room; {@code first} sorts before {@code second}.
 *
 * @param roomId the room
 * @param first  the user id that sorts first
 * @param second the other user id
 */
public record PairKey(String roomId, String first, String second) {
    /**
     * @param roomId the room
     * @param a      one user
     * @param b      the other
     * @return the pair, whichever order the users came in
     */
    public static PairKey of(String roomId, String a, String b) {
        return a.compareTo(b) < 0 ? new PairKey(roomId, a, b) : new PairKey(roomId, b, a);
    }

    /**
     * @param userId a user
     * @return whether the user is one of the pair
     */
    public boolean involves(String userId) {
        return first.equals(userId) || second.equals(userId);
    }

    @Override
    public String toString() {
        return first + " <-> " + second + " in room " + roomId;
    }
}
