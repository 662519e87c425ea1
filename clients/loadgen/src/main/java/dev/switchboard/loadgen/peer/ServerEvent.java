package dev.switchboard.loadgen.peer;

/**
 * What a Switchboard peer needs to know of one ServerMessage, decoded from either wire form.
 *
 * @param sequence the message's sequence number
 * @param type     what it is
 * @param signal   for {@link Type#SIGNAL}: which one
 * @param body     for {@link Type#SIGNAL}: its SDP or candidate; for {@link Type#ERROR}: the error
 * @param ok       for {@link Type#ACK}: whether the signal was relayed
 */
record ServerEvent(long sequence, Type type, SignalKind signal, String body, boolean ok) {
    enum Type {
        WELCOME,
        ROOM_JOINED,
        SIGNAL,
        ACK,
        ERROR,
        OTHER
    }

    static ServerEvent of(long sequence, Type type) {
        return new ServerEvent(sequence, type, null, null, false);
    }
}
