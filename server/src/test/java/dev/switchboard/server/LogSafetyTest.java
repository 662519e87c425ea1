package dev.switchboard.server;

import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import dev.switchboard.server.observe.JsonLogFormatter;
import dev.switchboard.server.observe.TextLogFormatter;
import dev.switchboard.server.testing.BackgroundPair;
import dev.switchboard.server.testing.LogCapture;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.WELCOME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client text in the log: a client name with a newline must not forge log lines, and a long one must not make a
 * long one, in either log format.
 */
class LogSafetyTest {
    private static final String FORGED = "app\nSEVERE  [switchboard] forged line\r\n\u001b[31m";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    @RegisterExtension
    final BackgroundPair background = new BackgroundPair(server);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientNameCannotForgeOrFloodLogLines(Transport transport) throws InterruptedException {
        LogRecord opened;
        try (LogCapture log = LogCapture.start(); Peer peer = transport.connect("forger", server.port())) {
            peer.send(ClientMessage.newBuilder().setHello(Hello.newBuilder()
                    .setUserId("forger-" + transport)
                    .setClientName(FORGED + "x".repeat(10_000))
                    .setClientVersion(FORGED)).build());
            peer.next(WELCOME);
            opened = log.await(record -> record.getMessage().contains("Session opened: forger-" + transport));
        }
        for (Formatter format : List.of(new TextLogFormatter(), new JsonLogFormatter())) {
            String line = format.format(opened);
            assertEquals(1, line.split("\n", -1).length - 1, "one line: " + line);
            assertFalse(line.contains("\r") || line.contains("\u001b"), line);
            assertTrue(line.length() < 600, "bounded: " + line.length() + " characters");
        }
        background.relay();
    }
}
