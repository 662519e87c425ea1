package dev.switchboard.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalingServiceGrpc;
import dev.switchboard.testkit.Messages;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import dev.switchboard.testkit.WebSocketPeer;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.testkit.Messages.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer that stops reading can neither stall its senders nor make the server buffer without bound: past the
 * outbound queue limit its connection is dropped; its session then buffers for a resume, and once that buffer
 * overflows too the session ends. Everyone else carries on.
 */
class SlowConsumerTest {
    private static final int MAX_OFFERS = 20_000;

    @Test
    void aPeerThatStopsReadingIsDisconnectedAndOthersCarryOn() throws Exception {
        try (TestServer server = TestServer.start(Map.of("session.outbound-queue-bytes", "262144"));
             Peer sender = Transport.GRPC.connect("sender", server.port());
             WebSocketPeer slow = new WebSocketPeer("slow", server.port(), true);
             Peer bystander = Transport.WEBSOCKET_JSON.connect("bystander", server.port())) {
            sender.hello("sender");
            slow.hello("slow");
            bystander.hello("bystander");
            sender.join("slow-room");
            slow.join("slow-room");
            bystander.join("slow-room");
            sender.next(PEER_JOINED);
            sender.next(PEER_JOINED);

            slow.pauseReading();
            String sdp = "v=0 " + "x".repeat(8192);
            ServerMessage slowLeft = null;
            int sent = 0;
            while (slowLeft == null && sent < MAX_OFFERS) {
                for (int i = 0; i < 100; i++, sent++) {
                    sender.send(offer("slow-room", "slow", sdp + sent).build());
                }
                bystander.send(offer("slow-room", "sender", "v=0 still here " + sent).build());
                assertEquals("v=0 still here " + sent, sender.next(OFFER).getOffer().getSdp());
                sender.drain();
                slowLeft = sender.received().stream().filter(ServerMessage::hasPeerLeft).findFirst().orElse(null);
            }
            assertTrue(slowLeft != null, "the slow peer was still connected after " + sent + " offers");
            assertEquals("slow", slowLeft.getPeerLeft().getUserId());
            assertEquals(PeerLeftReason.PEER_LEFT_REASON_TIMEOUT, slowLeft.getPeerLeft().getReason());

            bystander.send(offer("slow-room", "sender", "v=0 after").build());
            assertEquals("v=0 after", sender.next(OFFER).getOffer().getSdp());
        }
    }

    /**
     * A gRPC client that sends and never reads is dropped with RESOURCE_EXHAUSTED, as the README says, every time:
     * a race between the drop and the writer's own close once turned some of these into OK.
     */
    @Test
    void everyGrpcCallThatNeverReadsEndsWithResourceExhausted() throws Exception {
        try (TestServer server = TestServer.start(Map.of("session.outbound-queue-limit", "16",
                                                         "server.protocols.http_2.flow-control-timeout", "PT1S"))) {
            for (int round = 0; round < 3; round++) {
                List<NotReading> calls = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    calls.add(new NotReading(server.port(), "unread-" + round + "-" + i));
                }
                for (NotReading call : calls) {
                    Status status = call.status();
                    assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode(), call + ": " + status);
                }
            }
        }
    }

    /** A call that pings as fast as it can and reads nothing (flow control stops the server's replies). */
    private static final class NotReading {
        private final ManagedChannel channel;
        private final CompletableFuture<Status> ended = new CompletableFuture<>();
        private final String user;

        NotReading(int port, String user) {
            this.user = user;
            this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                    .flowControlWindow(65_535).build();
            ClientCall<ClientMessage, ServerMessage> call = channel.newCall(SignalingServiceGrpc.getConnectMethod(),
                                                                            CallOptions.DEFAULT);
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onClose(Status status, Metadata trailers) {
                    ended.complete(status);
                }
            }, new Metadata());     // no call.request(n): the client reads nothing while it sends
            call.sendMessage(Messages.hello(user).build());
            String padding = "p".repeat(2048);
            for (int i = 0; i < 2000 && !ended.isDone(); i++) {
                call.sendMessage(Messages.ping(i).setRequestId(padding).build());
            }
            // grpc-java hands the call's status over only after the messages before it: read them now
            call.request(Integer.MAX_VALUE);
        }

        Status status() throws Exception {
            try {
                return ended.get(30, TimeUnit.SECONDS);
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }

        @Override
        public String toString() {
            return user;
        }
    }
}
