package dev.switchboard.server.testing;

import java.util.function.Function;

import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.testkit.Messages.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two peers (gRPC to WebSocket) that keep relaying on the same server while each test does something hostile,
 * to show that other sessions are untouched: every offer sent must arrive, in order. Register it as an instance
 * extension next to a per-class {@link TestServer}; it starts before each test and checks after it.
 */
public final class BackgroundPair implements BeforeEachCallback, AfterEachCallback {
    private final TestServer server;
    private final Function<String, String> tokens;
    private Peer sender;
    private Peer receiver;
    private int sent;

    /**
     * @param server the server the test uses
     */
    public BackgroundPair(TestServer server) {
        this(server, user -> "");
    }

    /**
     * @param server the server the test uses
     * @param tokens the token each background user says hello with (auth.mode jwt)
     */
    public BackgroundPair(TestServer server, Function<String, String> tokens) {
        this.server = server;
        this.tokens = tokens;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        sent = 0;
        // each says hello as soon as it is connected: a server under test may have a short hello timeout
        sender = Transport.GRPC.connect("background-sender", server.port());
        hello(sender, "bg-sender");
        receiver = Transport.WEBSOCKET_JSON.connect("background-receiver", server.port());
        hello(receiver, "bg-receiver");
        sender.join("background");
        receiver.join("background");
        sender.next(ServerMessage.PayloadCase.PEER_JOINED);
        relay();
    }

    private void hello(Peer peer, String user) {
        peer.send(ClientMessage.newBuilder()
                          .setHello(Hello.newBuilder().setUserId(user).setToken(tokens.apply(user)))
                          .build());
        peer.next(ServerMessage.PayloadCase.WELCOME);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertNothingLostAndClose();
    }

    /** Sends one more offer. */
    public void relay() {
        sender.sendNumbered(offer("background", "bg-receiver", "v=0 background " + ++sent));
    }

    /** Sends one more, checks that every offer arrived in order, and closes both peers. */
    private void assertNothingLostAndClose() {
        relay();
        try {
            for (int i = 1; i <= sent; i++) {
                assertEquals("v=0 background " + i, receiver.next(OFFER).getOffer().getSdp());
            }
        } finally {
            sender.close();
            receiver.close();
        }
    }
}
