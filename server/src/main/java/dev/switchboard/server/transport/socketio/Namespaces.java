package dev.switchboard.server.transport.socketio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.server.transport.SignalingPort;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * The Socket.IO side of one Engine.IO connection: its packets, by namespace. The signaling namespace gets a
 * {@link NamespaceSocket}; a CONNECT to any other gets CONNECT_ERROR, and the signaling namespace on the same
 * connection goes on. Called on the connection's reader, one packet at a time.
 */
final class Namespaces {
    private static final System.Logger LOG = System.getLogger("switchboard.socketio");

    /** Makes the namespaces of a new Engine.IO connection. */
    @FunctionalInterface
    interface Factory {
        Namespaces create(EngineConnection engine);
    }

    private final EngineConnection engine;
    private final SignalingPort core;
    private final SocketIoSettings settings;
    private final int sequenceWindow;
    private final String queryUserId;
    private final Runnable onAdmitted;
    private final ConcurrentHashMap<String, NamespaceSocket> sockets = new ConcurrentHashMap<>();

    Namespaces(EngineConnection engine, SignalingPort core, SocketIoSettings settings, int sequenceWindow,
               String queryUserId, Runnable onAdmitted) {
        this.engine = engine;
        this.core = core;
        this.settings = settings;
        this.sequenceWindow = sequenceWindow;
        this.queryUserId = queryUserId;
        this.onAdmitted = onAdmitted;
    }

    /**
     * @param text an Engine.IO message's data: one Socket.IO packet
     */
    void receive(String text) {
        SocketIoPacket packet;
        try {
            packet = SocketIoPacket.parse(text);
        } catch (SocketIoPacket.MalformedPacketException e) {
            // as Socket.IO's own server does: a packet that breaks the grammar ends the connection
            engine.close("parse error: " + e.getMessage());
            return;
        }
        NamespaceSocket socket = sockets.get(packet.namespace());
        switch (packet.type()) {
            case CONNECT -> connect(packet, socket);
            case DISCONNECT -> {
                if (socket != null) {
                    socket.disconnect();
                }
            }
            case EVENT -> {
                if (socket != null && socket.isOpen()) {
                    socket.event(packet.json());
                } else {
                    refuse(packet.namespace(), "not connected to namespace " + packet.namespace());
                }
            }
            case BINARY_EVENT, BINARY_ACK -> {
                if (socket != null && socket.isOpen()) {
                    socket.binary();
                }
            }
            case ACK -> LOG.log(DEBUG, "an ACK packet, but the server asks for none: dropped");
            case CONNECT_ERROR -> engine.close("CONNECT_ERROR is the server's to send");
        }
    }

    /**
     * An EVENT packet as its frame holds it (the relay's hot path): the namespace is found and the JSON handed on
     * without a string of the packet; anything unusual takes {@link #receive}.
     *
     * @param utf8   the Socket.IO packet, from its type digit {@code 2}
     * @param offset where it starts
     * @param length its length
     */
    void receiveEvent(byte[] utf8, int offset, int length) {
        int end = offset + length;
        int at = offset + 1;
        int comma = at;
        while (comma < end && utf8[comma] != ',' && utf8[comma] != '[') {
            comma++;
        }
        if (at >= end || utf8[at] != '/' || comma >= end || utf8[comma] != ',') {
            receive(new String(utf8, offset, length, StandardCharsets.UTF_8));
            return;
        }
        NamespaceSocket socket = sockets.get(new String(utf8, at, comma - at, StandardCharsets.UTF_8));
        at = comma + 1;
        while (at < end && utf8[at] >= '0' && utf8[at] <= '9') {
            at++;   // an ack id: the old protocol asks for none, and none is sent
        }
        if (socket == null || !socket.isOpen()) {
            receive(new String(utf8, offset, length, StandardCharsets.UTF_8));     // refused there
            return;
        }
        socket.event(utf8, at, end - at);
    }

    private void connect(SocketIoPacket packet, NamespaceSocket existing) {
        String namespace = packet.namespace();
        if (!namespace.equals(settings.namespace())) {
            refuse(namespace, "Invalid namespace");
            return;
        }
        if (existing != null && existing.isOpen()) {
            refuse(namespace, "already connected to " + namespace);
            return;
        }
        JsonNode auth;
        try {
            auth = packet.json().isEmpty() ? NullNode.getInstance() : Json.read(packet.json());
        } catch (IOException e) {
            refuse(namespace, "the CONNECT's auth is not JSON within bounds");
            return;
        }
        NamespaceSocket socket = existing;
        if (socket == null) {
            // one core connection per namespace socket; after a refused CONNECT the client may try again on it,
            // until the hello timeout closes it
            socket = new NamespaceSocket(engine, this, namespace, core, settings, sequenceWindow);
            sockets.put(namespace, socket);
        }
        socket.connect(auth, queryUserId);
    }

    /** A CONNECT_ERROR for a namespace, sent from the reader. */
    private void refuse(String namespace, String message) {
        String payload = "{\"message\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}";
        engine.reply("4" + SocketIoPacket.encode(SocketIoPacket.Type.CONNECT_ERROR, namespace, payload));
    }

    /** A packet larger than {@code maxPayload} arrived: each namespace's session is told, then all close. */
    void tooLarge() {
        if (sockets.isEmpty()) {
            engine.close("packet too large");
        }
        sockets.values().forEach(socket -> socket.tooLarge(settings.maxPayload()));
    }

    /**
     * @return whether any namespace has a session (the Engine.IO connection is in use)
     */
    boolean anyOpen() {
        return sockets.values().stream().anyMatch(NamespaceSocket::isOpen);
    }

    /** A namespace's session ended, or its connection: the socket is forgotten. */
    void removed(String namespace, NamespaceSocket socket) {
        sockets.remove(namespace, socket);
    }

    void admitted() {
        if (engine.admit()) {
            onAdmitted.run();
        }
    }

    /** The Engine.IO connection is gone: so is every namespace's connection. */
    void closed(String reason) {
        LOG.log(DEBUG, "Engine.IO connection " + engine.sid() + " closed: " + reason);
        sockets.values().forEach(NamespaceSocket::engineClosed);
        sockets.clear();
    }
}
