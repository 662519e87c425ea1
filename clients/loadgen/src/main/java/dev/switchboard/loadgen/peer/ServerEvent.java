package dev.switchboard.loadgen.peer;

/**
 * What a Switchboard peer needs to know of one ServerMessage, decoded from either wire form.
 *
 * @param sequence the message's sequence number
 * @param type     what it is
 * @param signal   for {@link Type#SIGNAL}: which one
 * @param body     for {@link Type#SIGNAL}: its SDP or candidate; for {@link Type#ERROR}: the error
 * @param ok       for {@link Type#ACK}: whether the signal was relayed; for {@link Type#ROOM_JOINED}: whether
 *                 the room had other members
 * @param first    for {@link Type#ACK}: the client sequence it answers; for {@link Type#ACK_RANGE}: the first it
 *                 covers
 * @param last     for {@link Type#ACK_RANGE}: the last client sequence it covers
 */
record ServerEvent(long sequence, Type type, SignalKind signal, String body, boolean ok, long first, long last) {
    enum Type {
        WELCOME,
        ROOM_JOINED,
        PEER_JOINED,
        SIGNAL,
        ACK,
        ACK_RANGE,
        ERROR,
        OTHER
    }

    static ServerEvent of(long sequence, Type type) {
        return new ServerEvent(sequence, type, null, null, false, 0, 0);
    }

    static ServerEvent roomJoined(long sequence, boolean withOthers) {
        return new ServerEvent(sequence, Type.ROOM_JOINED, null, null, withOthers, 0, 0);
    }

    static ServerEvent signal(long sequence, SignalKind kind, String body) {
        return new ServerEvent(sequence, Type.SIGNAL, kind, body, true, 0, 0);
    }

    static ServerEvent ack(long sequence, boolean ok, long acked) {
        return new ServerEvent(sequence, Type.ACK, null, null, ok, acked, acked);
    }

    static ServerEvent ackRange(long sequence, long first, long last) {
        return new ServerEvent(sequence, Type.ACK_RANGE, null, null, true, first, last);
    }

    static ServerEvent error(long sequence, String detail) {
        return new ServerEvent(sequence, Type.ERROR, null, detail, false, 0, 0);
    }
}
