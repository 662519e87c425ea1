package dev.switchboard.server.reliability.dedup;

import java.util.ArrayDeque;

import dev.switchboard.cluster.v1.PeerGenerations;

/**
 * The ICE generations (username fragments) one session has used towards one peer: the current one, from its
 * latest offer or answer, and a few before it. Not thread-safe.
 */
final class IceGenerations {
    private static final int REMEMBERED = 8;
    private static final String UFRAG = "a=ice-ufrag:";

    private final ArrayDeque<String> previous = new ArrayDeque<>();
    private String current = "";
    private long lastOfferSequence;

    /**
     * Reads the generation of a new local description from its SDP.
     *
     * @param sdp the offer's or answer's SDP
     */
    void described(String sdp) {
        String ufrag = ufragOf(sdp);
        if (ufrag.isEmpty() || ufrag.equals(current)) {
            return;
        }
        previous.remove(ufrag);
        if (!current.isEmpty()) {
            previous.addLast(current);
            if (previous.size() > REMEMBERED) {
                previous.removeFirst();
            }
        }
        current = ufrag;
    }

    /** Its state, for a session moving to another node. */
    PeerGenerations.Builder snapshot() {
        return PeerGenerations.newBuilder()
                .setCurrentUfrag(current)
                .addAllPreviousUfrags(previous)
                .setLastOfferSequence(lastOfferSequence);
    }

    /** The state {@link #snapshot} described. */
    static IceGenerations restored(PeerGenerations state) {
        IceGenerations generations = new IceGenerations();
        generations.current = state.getCurrentUfrag();
        generations.previous.addAll(state.getPreviousUfragsList());
        generations.lastOfferSequence = state.getLastOfferSequence();
        return generations;
    }

    /**
     * @param ufrag a candidate's username fragment, empty when the candidate named none (it then belongs to
     *              the current generation)
     * @return true when it belongs to a generation that a later description has replaced
     */
    boolean isOld(String ufrag) {
        return !ufrag.isEmpty() && !ufrag.equals(current) && previous.contains(ufrag);
    }

    /**
     * Records an offer's sequence, unless an offer with a higher one was relayed already.
     *
     * @param sequence the offer's client sequence
     * @return true when a later offer was relayed before: this one is stale
     */
    boolean offerIsStale(long sequence) {
        if (sequence < lastOfferSequence) {
            return true;
        }
        lastOfferSequence = sequence;
        return false;
    }

    /**
     * The first {@code a=ice-ufrag} of an SDP (with BUNDLE, every m-line shares it).
     *
     * @param sdp SDP text
     * @return the username fragment, or empty when there is none
     */
    static String ufragOf(String sdp) {
        int at = sdp.indexOf(UFRAG);
        if (at < 0) {
            return "";
        }
        int start = at + UFRAG.length();
        int end = start;
        while (end < sdp.length() && sdp.charAt(end) != '\r' && sdp.charAt(end) != '\n') {
            end++;
        }
        return sdp.substring(start, end).trim();
    }
}
