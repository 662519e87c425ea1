package dev.switchboard.server.transport.gate;

import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.ServerConnectionException;

/**
 * A connection's context as its protocol sees it: Helidon's, with a reader that notes when the client last sent
 * anything (what the heartbeat needs to tell a quiet but live client from a dead one), and that reports a client
 * closing mid-request as a closed connection.
 * <p>
 * Helidon 4.2's HTTP/1.1 connection treats the end of input in the middle of a request head as an internal error:
 * it logs a warning with a stack trace and tries to answer 500. A client that sends half a request and hangs up
 * could fill the log that way, one stack trace per connection. Reported as {@link CloseConnectionException}, the
 * same event is logged at TRACE by Helidon, as any client hang-up is.
 */
public final class ReadingContext implements ConnectionContext {
    private final ConnectionContext delegate;
    private final DataReader reader;
    private volatile long lastReadNanos = System.nanoTime();

    ReadingContext(ConnectionContext delegate) {
        this.delegate = delegate;
        DataReader buffered = delegate.dataReader();
        HelidonSocket socket = delegate.serverSocket();
        // what Helidon read while choosing the protocol first, then straight from the socket: Helidon's own reader
        // would hold each chunk once more, and keep its consumed chunks linked as well (ConsumedNodes)
        this.reader = ConsumedNodes.reader(() -> {
            byte[] bytes = buffered.available() > 0 ? buffered.readBytes(buffered.available()) : read(socket);
            lastReadNanos = System.nanoTime();
            return bytes;
        });
    }

    /** The next chunk from the socket, blocking; the end of input and a failed read end the connection. */
    private static byte[] read(HelidonSocket socket) {
        byte[] bytes;
        try {
            bytes = socket.get();
        } catch (UncheckedIOException e) {
            throw new ServerConnectionException("Failed to get data from socket", e);   // as Helidon's reader does
        }
        if (bytes == null) {
            throw new CloseConnectionException("the client closed the connection");
        }
        return bytes;
    }

    /**
     * @return when bytes last arrived from the client, as a {@link System#nanoTime()} reading
     */
    public long lastReadNanos() {
        return lastReadNanos;
    }

    @Override
    public DataReader dataReader() {
        return reader;
    }

    @Override
    public ListenerContext listenerContext() {
        return delegate.listenerContext();
    }

    @Override
    public ExecutorService executor() {
        return delegate.executor();
    }

    @Override
    public DataWriter dataWriter() {
        return delegate.dataWriter();
    }

    @Override
    public Router router() {
        return delegate.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
        return delegate.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
        return delegate.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
        return delegate.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
        return delegate.localPeer();
    }

    @Override
    public boolean isSecure() {
        return delegate.isSecure();
    }

    @Override
    public String socketId() {
        return delegate.socketId();
    }

    @Override
    public String childSocketId() {
        return delegate.childSocketId();
    }
}
