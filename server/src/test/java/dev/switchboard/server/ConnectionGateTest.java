package dev.switchboard.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.switchboard.server.testing.BackgroundPair;
import dev.switchboard.server.testing.LogCapture;
import dev.switchboard.server.testing.Prometheus;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import dev.switchboard.testkit.WebSocketPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.switchboard.testkit.Messages.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow and stalled connections (slowloris): a connection that does not complete its HTTP request head in time is
 * closed, whether it sent half of one or nothing, and one address holds at most its share of connections that
 * have not yet proven to be clients. Sessions, once open, are not subject to either.
 */
class ConnectionGateTest {
    private static final String HALF_AN_UPGRADE = "GET /signaling HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n";
    /** 127.0.0.0/8 is all loopback: a second client address on the same machine. */
    private static final InetAddress OTHER_ADDRESS = address("127.0.0.2");

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("limits.request-timeout", "PT0.5S",
                                                                "limits.pending-connections-per-address", "8"));
    @RegisterExtension
    final BackgroundPair background = new BackgroundPair(server);

    @Test
    void halfAnUpgradeRequestOrNothingAtAllIsClosedAfterTheRequestTimeout() throws IOException {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Socket socket = connect(OTHER_ADDRESS);
                if (i % 2 == 0) {
                    socket.getOutputStream().write(HALF_AN_UPGRADE.getBytes(StandardCharsets.US_ASCII));
                }
                stalled.add(socket);
            }
            for (Socket socket : stalled) {
                awaitClosedByServer(socket);
            }
            background.relay();
        } finally {
            closeAll(stalled);
        }
    }

    @Test
    void aClientThatHangsUpMidRequestCostsTheLogNothing() throws Exception {
        try (LogCapture log = LogCapture.start()) {
            for (int i = 0; i < 20; i++) {
                try (Socket socket = connect(OTHER_ADDRESS)) {
                    socket.getOutputStream().write(HALF_AN_UPGRADE.getBytes(StandardCharsets.US_ASCII));
                }
            }
            awaitNoPendingConnections();
            assertEquals(List.of(), log.atLeast(Level.WARNING).stream().map(LogRecord::getMessage).toList(),
                         "Helidon would log a 500 with a stack trace for each");
        }
    }

    @Test
    void anAddressHoldsAtMostItsShareOfPendingConnectionsAndOtherAddressesAreUntouched() throws Exception {
        try (TestServer slow = TestServer.start(Map.of("limits.request-timeout", "PT30S",
                                                       "limits.pending-connections-per-address", "8"))) {
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 9; i++) {
                    Socket socket = connect(OTHER_ADDRESS, slow.port());
                    socket.getOutputStream().write(HALF_AN_UPGRADE.getBytes(StandardCharsets.US_ASCII));
                    socket.setSoTimeout(50);
                    stalled.add(socket);
                }
                // each connection is admitted on a thread of its own, so any one of the nine may be the one too
                // many: it is closed at once (its request timeout is 30 s), and the other eight wait
                Socket refused = awaitOneClosedByServer(stalled);
                stalled.remove(refused);
                refused.close();
                for (Socket socket : stalled) {
                    socket.setSoTimeout(200);
                    assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read(),
                                 "the other eight wait for their request timeout");
                }
                try (Peer client = new WebSocketPeer("elsewhere", slow.port(), false)) {
                    assertEquals("elsewhere", client.hello("elsewhere").getWelcome().getUserId(),
                                 "a client from another address is not affected");
                }
            } finally {
                closeAll(stalled);
            }
            awaitAdmitted(slow.port());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSessionIsNotSubjectToTheRequestTimeout(Transport transport) {
        try (Peer peer = transport.connect("lasting", server.port())) {
            peer.hello("lasting-" + transport);
            long until = System.nanoTime() + 2_000_000_000L;     // four request timeouts
            int pongs = 0;
            while (System.nanoTime() < until) {
                peer.send(ping(pongs).build());
                assertEquals(pongs, peer.next(ServerMessage.PayloadCase.PONG).getPong().getClientTimeMs());
                pongs++;
            }
            assertTrue(pongs > 0 && !peer.isClosed());
        }
    }

    @Test
    void anIdleKeptAliveHttpConnectionIsClosedAfterTheRequestTimeout() throws IOException {
        try (Socket socket = connect(InetAddress.getLoopbackAddress())) {
            socket.getOutputStream().write("GET /observe/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                                                   .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", response);
            awaitClosedByServer(socket);    // once idle past the request timeout
        }
    }

    /** Every connection the test left behind has been dropped by the server. */
    private static void awaitNoPendingConnections() throws Exception {
        long deadline = System.nanoTime() + Peer.TIMEOUT.toNanos();
        while (Prometheus.scrape(server.port()).get("switchboard_connections_pending") > 0) {
            assertTrue(System.nanoTime() < deadline, "pending connections stayed");
            Thread.onSpinWait();
        }
    }

    /** @return the first of the sockets the server closes (end of stream, or a reset), within the deadline */
    private static Socket awaitOneClosedByServer(List<Socket> sockets) throws IOException {
        long deadline = System.nanoTime() + Peer.TIMEOUT.toNanos();
        while (true) {
            for (Socket socket : sockets) {
                try {
                    if (socket.getInputStream().read() == -1) {
                        return socket;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // the read's own short timeout: look at the next one
                } catch (java.net.SocketException reset) {
                    return socket;
                }
            }
            assertTrue(System.nanoTime() < deadline, "none of the connections was refused");
        }
    }

    /** New connections from the address are admitted again once its stalled ones are gone. */
    private static void awaitAdmitted(int port) throws IOException {
        long deadline = System.nanoTime() + Peer.TIMEOUT.toNanos();
        while (true) {
            try (Socket socket = connect(OTHER_ADDRESS, port)) {
                socket.getOutputStream().write("GET /observe/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                                                       .getBytes(StandardCharsets.US_ASCII));
                byte[] head = socket.getInputStream().readNBytes(12);
                if (new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 200")) {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "the address was not admitted again");
            Thread.onSpinWait();
        }
    }

    private static Socket connect(InetAddress from) throws IOException {
        return connect(from, server.port());
    }

    private static Socket connect(InetAddress from, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.setSoTimeout((int) Peer.TIMEOUT.toMillis());
        return socket;
    }

    /**
     * Reads until the server closes the socket (end of stream, or a reset); a socket still open after
     * {@link Peer#TIMEOUT} fails the test with a {@link SocketTimeoutException}.
     */
    private static void awaitClosedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() != -1) {
                // whatever the server said before closing (an error status, a close frame)
            }
        } catch (SocketTimeoutException stillOpen) {
            throw stillOpen;
        } catch (java.net.SocketException reset) {
            // closed with a reset: closed all the same
        }
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
