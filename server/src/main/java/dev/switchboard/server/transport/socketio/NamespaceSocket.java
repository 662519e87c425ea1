package dev.switchboard.server.transport.socketio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.server.transport.Connection;
import dev.switchboard.server.transport.PeerLink;
import dev.switchboard.server.transport.SignalingPort;
import dev.switchboard.signaling.v1.Bye;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;

/**
 * The signaling namespace ({@code /webrtc}) on one Engine.IO connection: a connection of the core, whose
 * {@code hello} is the namespace's CONNECT and whose {@code welcome} is the CONNECT's answer. The reader side
 * ({@link #connect}, {@link #event}, {@link #disconnect}) runs on the connection's reader; the {@link PeerLink}
 * side on the core's outbox writer.
 */
final class NamespaceSocket implements PeerLink {
    /** The transport's name, in logs and metric labels. */
    static final String TRANSPORT = "socketio";
    private static final String HELLO = "hello";

    private final EngineConnection engine;
    private final Namespaces owner;
    private final String namespace;
    private final boolean resumable;
    private final Connection connection;
    private final ClientEvents events;
    private final ServerEvents encoder;
    private volatile boolean open;
    /** The session's user, once welcomed: the writer's. */
    private Welcome self = Welcome.getDefaultInstance();

    NamespaceSocket(EngineConnection engine, Namespaces owner, String namespace, SignalingPort core,
                    SocketIoSettings settings, int sequenceWindow) {
        this.engine = engine;
        this.owner = owner;
        this.namespace = namespace;
        this.resumable = !settings.leaveOnDisconnect();
        this.events = new ClientEvents(new LegacySequences(sequenceWindow));
        this.encoder = new ServerEvents(namespace);
        this.connection = core.open(this);
    }

    /**
     * The client's CONNECT: a {@code hello} with the token of {@code auth.token}, or the user of
     * {@code auth.userId} (or the connection's {@code userId} query parameter) where no token is needed.
     */
    void connect(JsonNode auth, String queryUserId) {
        Hello.Builder hello = Hello.newBuilder().setClientName("socket.io-client");
        Json.text(auth, "token").ifPresent(hello::setToken);
        hello.setUserId(Json.text(auth, "userId").orElse(queryUserId));
        connection.receive(ClientMessage.newBuilder().setRequestId(HELLO).setHello(hello).build());
    }

    /** An EVENT packet's JSON. */
    void event(String json) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        event(utf8, 0, utf8.length);
    }

    /**
     * An EVENT packet's JSON, as the frame holds it: a signal of the usual shape is read in one streaming pass,
     * anything else as a tree.
     */
    void event(byte[] utf8, int offset, int length) {
        Optional<SignalEvent> signal = SignalEvent.read(utf8, offset, length);
        ClientEvents.Translation translation;
        if (signal.isPresent()) {
            translation = events.signal(signal.get());
        } else {
            try {
                translation = events.translate(Json.read(utf8, offset, length));
            } catch (IOException e) {
                connection.receiveMalformed("an event's payload is not JSON within bounds: " + e.getMessage());
                return;
            }
        }
        switch (translation) {
            case ClientEvents.Messages messages -> messages.messages().forEach(connection::receive);
            case ClientEvents.Refused refused -> connection.receiveMalformed(refused.reason());
        }
    }

    /** A packet with binary attachments: the old protocol has none, and they are dropped unread. */
    void binary() {
        connection.receiveMalformed("binary attachments are not supported; they were dropped");
    }

    /** The client left the namespace: its session ends (peers see {@code userLeft}). */
    void disconnect() {
        connection.receive(ClientMessage.newBuilder().setBye(Bye.getDefaultInstance()).build());
    }

    /** A packet larger than {@code maxPayload}: {@code error}, then the Engine.IO connection closes. */
    void tooLarge(int maxPayload) {
        connection.messageTooLarge(maxPayload);
    }

    /** The Engine.IO connection is gone. */
    void engineClosed() {
        connection.closed();
    }

    boolean isOpen() {
        return open;
    }

    @Override
    public void write(ServerMessage message) throws IOException {
        if (message.hasWelcome() && !open) {
            self = message.getWelcome();
            encoder.raw("4" + SocketIoPacket.encode(SocketIoPacket.Type.CONNECT, namespace,
                                                    "{\"sid\":\"" + self.getSessionId() + "\"}"));
            encoder.connected(self.getUserId());
            open = true;
        } else if (message.hasError() && !open) {
            // the CONNECT is refused: a bad token, a full or draining server, or no hello in time
            encoder.raw("4" + SocketIoPacket.encode(SocketIoPacket.Type.CONNECT_ERROR, namespace,
                                                    connectError(message)));
        } else if (open) {
            encoder.encode(message, self);
            if (message.hasGoingAway()) {
                leaveAfter(message.getGoingAway().getReconnectAfterMs());
            }
        }
    }

    /**
     * The server is draining: a Socket.IO client cannot resume, and one written for the old gateway does not know
     * {@code goingAway}, so its transport closes after the reconnect hint (the spread the drain gave it), and
     * socket.io-client reconnects by itself, through the load balancer, to another server.
     */
    private void leaveAfter(long millis) {
        Thread.ofVirtual().name("switchboard-socketio-going-away").start(() -> {
            try {
                Thread.sleep(millis);   // the spread is the point: not every client reconnects at once
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            engine.close("server going away");
        });
    }

    /** The CONNECT_ERROR's payload: the reason, and the old gateway's and Switchboard's codes. */
    private static String connectError(ServerMessage message) {
        dev.switchboard.signaling.v1.Error error = message.getError();
        return "{\"message\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(error.getMessage()))
                + "\",\"data\":{\"code\":\"" + ErrorCodes.legacy(error.getCode()) + "\",\"switchboardCode\":\""
                + error.getCode().name() + "\"}}";
    }

    @Override
    public void flush() throws IOException {
        if (!encoder.batch().isEmpty()) {
            try {
                engine.send(encoder.batch());
            } finally {
                encoder.clear();
            }
        }
    }

    /**
     * The session ended, or this connection of it: the client is told with a DISCONNECT of the namespace (it does
     * not reconnect by itself), except where the transport itself should go (a server shutting down, a silent or
     * slow client, a packet too large): then the Engine.IO connection closes and the client reconnects.
     */
    @Override
    public void close(CloseCause cause) {
        boolean wasOpen = open;
        open = false;
        owner.removed(namespace, this);
        try {
            if (wasOpen) {
                encoder.raw("4" + SocketIoPacket.encode(SocketIoPacket.Type.DISCONNECT, namespace, ""));
            }
            flush();
        } catch (IOException e) {
            engine.close("write failed");
            return;
        }
        switch (cause) {
            case SHUTDOWN, HEARTBEAT_TIMEOUT, SLOW_CONSUMER, MESSAGE_TOO_LARGE, SERVER_FULL ->
                    engine.close(cause.name().toLowerCase());
            case NORMAL, REPLACED, RESUMED_ELSEWHERE, HELLO_TIMEOUT, REMOVED -> {
                // the Engine.IO connection stays for the client to close (or its connect timeout)
            }
        }
    }

    @Override
    public void abort(CloseCause cause) {
        owner.removed(namespace, this);
        engine.close(cause.name().toLowerCase());
    }

    @Override
    public long lastHeardNanos() {
        return engine.lastHeardNanos();
    }

    @Override
    public void sessionOpened() {
        owner.admitted();
    }

    /** The reader serves this Engine.IO connection alone. */
    @Override
    public boolean readerMayWait() {
        return true;
    }

    @Override
    public boolean resumable() {
        return resumable;
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }
}
