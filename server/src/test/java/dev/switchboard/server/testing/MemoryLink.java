package dev.switchboard.server.testing;

import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.server.transport.Connection;
import dev.switchboard.server.transport.PeerLink;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Messages;
import dev.switchboard.testkit.Peer;

/**
 * A client of an {@link InMemoryCore}: both ends of a connection with no socket between them. What the test sends
 * goes to the core's {@link Connection} on the test's thread, as a transport's reader would hand it over; what the
 * core writes (on the connection's outbox writer) lands in the {@link Peer} inbox.
 */
public final class MemoryLink extends Peer implements PeerLink {
    private final String name;
    private final boolean resumable;
    private Connection connection;

    MemoryLink(String name, boolean resumable) {
        this.name = name;
        this.resumable = resumable;
    }

    /**
     * A link with no core behind it, for tests of a session's stream alone: what the session writes lands in the
     * inbox; closing it tells no connection.
     *
     * @param name names the client in failures
     * @return the link
     */
    public static MemoryLink unconnected(String name) {
        return new MemoryLink(name, true);
    }

    void attach(Connection opened) {
        this.connection = opened;
    }

    @Override
    public void send(ClientMessage message) {
        connection.receive(message);
    }

    /** The client's side goes away without a bye, as a dropped network does. */
    @Override
    public void abort() {
        connection.closed();
        closed.complete("client dropped the connection");
    }

    /** Says bye, then goes away once the server closes. */
    @Override
    public void close() {
        if (!isClosed()) {
            send(Messages.bye().build());
            awaitClosed();
        }
    }

    void disconnect() {
        if (!isClosed()) {
            abort();
        }
    }

    @Override
    public void write(ServerMessage message) {
        deliver(message);
    }

    @Override
    public void close(CloseCause cause) {
        closed.complete(cause.name());
        if (connection != null) {
            connection.closed();
        }
    }

    @Override
    public void abort(CloseCause cause) {
        close(cause);
    }

    @Override
    public boolean resumable() {
        return resumable;
    }

    @Override
    public String transport() {
        return "memory";
    }

    @Override
    public String toString() {
        return name + " (in memory)";
    }
}
