package dev.switchboard.server.transport.socketio;

/**
 * One Socket.IO (protocol v5) packet, as carried in an Engine.IO message: {@code <type>[<attachments>-][<namespace>,]
 * [<ack id>][<JSON>]}, e.g. {@code 2/webrtc,["offer",{...}]}. The default namespace {@code /} is left out.
 *
 * @param type        what the packet is
 * @param namespace   its namespace
 * @param attachments binary attachments announced (binary packets only)
 * @param ackId       the acknowledgement id the sender asked for, or -1
 * @param json        the JSON payload, or empty
 */
record SocketIoPacket(Type type, String namespace, int attachments, long ackId, String json) {
    /** Packet types, by their digit. */
    enum Type {
        /** Connect to a namespace (client: with auth); the server's answer carries the socket id. */
        CONNECT,
        /** Leave a namespace. */
        DISCONNECT,
        /** An event: a JSON array, its name first. */
        EVENT,
        /** The answer to an event that asked for one. */
        ACK,
        /** The server refuses a connect to a namespace. */
        CONNECT_ERROR,
        /** An event with binary attachments. */
        BINARY_EVENT,
        /** An answer with binary attachments. */
        BINARY_ACK
    }

    /** Thrown for a packet that does not follow the protocol's grammar. */
    static final class MalformedPacketException extends Exception {
        MalformedPacketException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param text an Engine.IO message's data
     * @return the packet
     * @throws MalformedPacketException when it is not a Socket.IO packet
     */
    static SocketIoPacket parse(String text) throws MalformedPacketException {
        if (text.isEmpty()) {
            throw new MalformedPacketException("empty packet");
        }
        int digit = text.charAt(0) - '0';
        if (digit < 0 || digit >= Type.values().length) {
            throw new MalformedPacketException("unknown packet type '" + text.charAt(0) + "'");
        }
        Type type = Type.values()[digit];
        int at = 1;
        int attachments = 0;
        if (type == Type.BINARY_EVENT || type == Type.BINARY_ACK) {
            int dash = text.indexOf('-', at);
            if (dash < 0 || dash - at > 6) {
                throw new MalformedPacketException("binary packet without its attachment count");
            }
            attachments = digits(text, at, dash);
            at = dash + 1;
        }
        String namespace = "/";
        if (at < text.length() && text.charAt(at) == '/') {
            int comma = text.indexOf(',', at);
            int end = comma < 0 ? text.length() : comma;
            namespace = text.substring(at, end);
            at = comma < 0 ? end : comma + 1;
        }
        int idEnd = at;
        while (idEnd < text.length() && Character.isDigit(text.charAt(idEnd)) && idEnd - at < 16) {
            idEnd++;
        }
        long ackId = idEnd > at ? Long.parseLong(text, at, idEnd, 10) : -1;
        return new SocketIoPacket(type, namespace, attachments, ackId, text.substring(idEnd));
    }

    private static int digits(String text, int from, int to) throws MalformedPacketException {
        try {
            return Integer.parseInt(text, from, to, 10);
        } catch (NumberFormatException e) {
            throw new MalformedPacketException("attachment count is not a number");
        }
    }

    /**
     * @param type      the packet's type
     * @param namespace its namespace
     * @param json      its payload, or empty
     * @return the packet's text, as an Engine.IO message carries it (without the message's own {@code 4})
     */
    static String encode(Type type, String namespace, String json) {
        StringBuilder text = new StringBuilder(json.length() + namespace.length() + 2);
        text.append((char) ('0' + type.ordinal()));
        if (!"/".equals(namespace)) {
            text.append(namespace).append(',');
        }
        return text.append(json).toString();
    }
}
