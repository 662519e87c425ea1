package dev.switchboard.server.room;

import dev.switchboard.signaling.v1.NegotiationRole;

/**
 * Who is polite and who is impolite in a pair of peers (W3C perfect negotiation). The rule depends on the two
 * user ids only, so it gives the same answer on every node, before and after a resume, and both peers can be
 * told without any state: the user id that sorts first is impolite.
 */
public final class NegotiationRoles {
    private NegotiationRoles() {
    }

    /**
     * @param self  the user being told
     * @param other the peer
     * @return {@code self}'s role in the pair
     */
    public static NegotiationRole roleOf(String self, String other) {
        return impoliteOf(self, other).equals(self) ? NegotiationRole.NEGOTIATION_ROLE_IMPOLITE
                : NegotiationRole.NEGOTIATION_ROLE_POLITE;
    }

    /**
     * @param a one user
     * @param b the other
     * @return the impolite one of the two
     */
    public static String impoliteOf(String a, String b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
