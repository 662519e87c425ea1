package dev.switchboard.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.switchboard.server.testing.BackgroundPair;
import dev.switchboard.server.testing.RawGrpcPeer;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.WebSocketPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PONG;
import static dev.switchboard.testkit.Messages.offer;
import static dev.switchboard.testkit.Messages.ping;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two ways a few bytes attacked the server: a JSON number whose exponent cost seconds of CPU to convert, and
 * protobuf fields the schema does not know, relayed to a receiver whose decoder took one for
 * {@code from_user_id}. A background pair relays throughout and must lose nothing.
 */
class NumbersAndUnknownFieldsTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    @RegisterExtension
    final BackgroundPair background = new BackgroundPair(server);

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anyNumberOfAnyExponentIsRefusedInAnyStateAndTheSessionAnswersAtOnce(boolean inSession) throws Exception {
        List<String> frames = List.of(
                "{\"sequence\":1e10000000,\"ping\":{}}",
                "{\"sequence\":\"1e10000000\",\"ping\":{}}",
                "{\"ping\":{\"clientTimeMs\":-1E999999999}}",
                "{\"iceCandidate\":{\"roomId\":\"r\",\"targetUserId\":\"b\",\"candidate\":\"c\","
                        + "\"sdpMlineIndex\":1e10000000}}",
                "{\"connectionStateUpdate\":{\"connectionState\":1e10000000}}",
                "{\"ping\":{},\"unknownField\":1e10000000}");
        // four connections at once, as in the attack that froze the server
        List<CompletableFuture<Void>> attackers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String user = "numbers-" + inSession + "-" + i;
            attackers.add(CompletableFuture.runAsync(() -> {
                try (WebSocketPeer peer = new WebSocketPeer(user, server.port(), false)) {
                    if (inSession) {
                        peer.hello(user);
                    }
                    for (String frame : frames) {
                        peer.sendText(frame);
                        ServerMessage error = peer.next(ERROR);
                        assertEquals(ErrorCode.ERROR_CODE_INVALID_MESSAGE, error.getError().getCode(), frame);
                        assertTrue(error.getError().getMessage().contains("number out of range"),
                                   error.getError().getMessage());
                    }
                    if (inSession) {
                        peer.send(ping(7).build());
                        assertEquals(7, peer.next(PONG).getPong().getClientTimeMs());
                    }
                }
            }));
        }
        CompletableFuture.allOf(attackers.toArray(CompletableFuture[]::new)).get();
        background.relay();
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "grpc"})
    void aRelayedOfferCarriesOnlyTheFieldsTheSchemaDefines(String transport) throws IOException {
        try (WebSocketPeer receiver = new WebSocketPeer("receiver", server.port(), true);
             Peer sender = transport.equals("grpc") ? new RawGrpcPeer(server.port())
                     : new WebSocketPeer("sender", server.port(), true)) {
            Peer.meet("smuggling-" + transport, sender, "mallory-" + transport, receiver, "victim-" + transport);
            // from_user_id (4) again as a varint, which protobuf-java keeps aside as unknown while protobufjs reads
            // the field by its number; and a field the schema does not have at all
            ByteString offer = offer("smuggling-" + transport, "victim-" + transport, "v=0 smuggled").build()
                    .getOffer().toByteString().concat(varint(4, 42)).concat(varint(99, 1));
            ByteString message = varint(1, 1).concat(lengthDelimited(13, offer));
            if (sender instanceof RawGrpcPeer raw) {
                raw.sendBytes(message.toByteArray());
            } else {
                ((WebSocketPeer) sender).sendBinary(message.toByteArray());
            }
            ServerMessage relayed = receiver.next(OFFER);
            assertEquals("mallory-" + transport, relayed.getOffer().getFromUserId());
            assertTrue(relayed.getOffer().getUnknownFields().asMap().isEmpty(),
                       "relayed with unknown fields: " + relayed.getOffer().getUnknownFields());
            assertTrue(relayed.getUnknownFields().asMap().isEmpty());
            background.relay();
        }
    }

    @Test
    void aClientMessageWithUnknownFieldsIsStillServed() throws IOException {
        try (WebSocketPeer peer = new WebSocketPeer("future-client", server.port(), true)) {
            peer.hello("future-client");
            ClientMessage ping = ping(5).build();
            peer.sendBinary(ping.toByteString().concat(varint(999, 3)).toByteArray());
            assertEquals(5, peer.next(PONG).getPong().getClientTimeMs(), "newer clients work with older servers");
        }
    }

    private static ByteString varint(int field, long value) throws IOException {
        ByteString.Output out = ByteString.newOutput();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeUInt64(field, value);
        coded.flush();
        return out.toByteString();
    }

    private static ByteString lengthDelimited(int field, ByteString value) throws IOException {
        ByteString.Output out = ByteString.newOutput();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeBytes(field, value);
        coded.flush();
        return out.toByteString();
    }
}
