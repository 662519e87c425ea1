package dev.switchboard.quickstart;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.Bye;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.Join;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalingServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;

/**
 * The quick start: alice, a browser-style peer on WebSocket (JSON frames), and bob, a native-style peer on gRPC,
 * meet in one room of a running Switchboard and exchange an offer, an answer and ICE candidates.
 * <p>
 * Usage: {@code QuickStart [host:port]} (default 127.0.0.1:8080). Exits 0 when every signal arrived.
 */
public final class QuickStart {
    private static final String ROOM = "quickstart";
    private static final long TIMEOUT_SECONDS = 10;
    private static final String OFFER_SDP = "v=0\r\no=- 4611 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
            + "a=ice-ufrag:alic\r\na=ice-pwd:alicepassword0123456789\r\na=mid:0\r\n";
    private static final String ANSWER_SDP = OFFER_SDP.replace("alic", "bobb").replace("4611", "7823");

    private QuickStart() {
    }

    public static void main(String[] args) throws Exception {
        String server = args.length > 0 ? args[0] : "127.0.0.1:8080";
        String host = server.substring(0, server.lastIndexOf(':'));
        int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
        System.out.println("Switchboard quick start against " + server
                                   + ": alice on WebSocket (JSON), bob on gRPC, room '" + ROOM + "'");
        try (WebSocketPeer alice = new WebSocketPeer(host, port);
             GrpcPeer bob = new GrpcPeer(host, port)) {
            alice.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setUserId("alice")
                                                                   .setClientName("quickstart")));
            print("alice", alice.await(ServerMessage.PayloadCase.WELCOME));
            bob.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setUserId("bob")
                                                                 .setClientName("quickstart")));
            print("bob", bob.await(ServerMessage.PayloadCase.WELCOME));

            alice.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setRoomId(ROOM)));
            print("alice", alice.await(ServerMessage.PayloadCase.ROOM_JOINED));
            bob.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setRoomId(ROOM)));
            print("bob", bob.await(ServerMessage.PayloadCase.ROOM_JOINED));
            print("alice", alice.await(ServerMessage.PayloadCase.PEER_JOINED));

            alice.send(ClientMessage.newBuilder().setSequence(1).setOffer(
                    Offer.newBuilder().setRoomId(ROOM).setTargetUserId("bob").setSdp(OFFER_SDP)));
            print("bob", bob.await(ServerMessage.PayloadCase.OFFER));
            print("alice", alice.await(ServerMessage.PayloadCase.ACK));

            bob.send(ClientMessage.newBuilder().setSequence(1).setAnswer(
                    Answer.newBuilder().setRoomId(ROOM).setTargetUserId("alice").setSdp(ANSWER_SDP)));
            print("alice", alice.await(ServerMessage.PayloadCase.ANSWER));
            print("bob", bob.await(ServerMessage.PayloadCase.ACK));

            alice.send(ClientMessage.newBuilder().setSequence(2).setIceCandidate(candidate("bob", "alic", 50000)));
            bob.send(ClientMessage.newBuilder().setSequence(2).setIceCandidate(candidate("alice", "bobb", 50001)));
            print("bob", bob.await(ServerMessage.PayloadCase.ICE_CANDIDATE));
            print("alice", alice.await(ServerMessage.PayloadCase.ICE_CANDIDATE));

            // Without bye, a dropped connection keeps the session resumable for a while; bye ends it now.
            alice.bye();
            bob.bye();
        }
        System.out.println("Done: offer, answer and ICE candidates relayed between a WebSocket and a gRPC peer.");
    }

    private static IceCandidate candidate(String target, String ufrag, int port) {
        return IceCandidate.newBuilder()
                .setRoomId(ROOM)
                .setTargetUserId(target)
                .setCandidate("candidate:1 1 udp 2122260223 127.0.0.1 " + port + " typ host")
                .setSdpMid("0")
                .setSdpMlineIndex(0)
                .setUsernameFragment(ufrag)
                .build();
    }

    private static void print(String who, ServerMessage message) {
        String what = switch (message.getPayloadCase()) {
            case WELCOME -> "welcome: session " + message.getWelcome().getSessionId() + ", "
                    + message.getWelcome().getIceServersCount() + " ICE server entries";
            case ROOM_JOINED -> "joined room " + message.getRoomJoined().getRoomId() + " with "
                    + message.getRoomJoined().getMembersCount() + " other member(s)";
            case PEER_JOINED -> "peer joined: " + message.getPeerJoined().getUserId();
            case OFFER -> "<- offer from " + message.getOffer().getFromUserId() + " ("
                    + message.getOffer().getSdp().length() + " bytes of SDP)";
            case ANSWER -> "<- answer from " + message.getAnswer().getFromUserId() + " ("
                    + message.getAnswer().getSdp().length() + " bytes of SDP)";
            case ICE_CANDIDATE -> "<- ICE candidate from " + message.getIceCandidate().getFromUserId() + ": "
                    + message.getIceCandidate().getCandidate();
            case ACK -> "ack for " + message.getAck().getKind() + " #" + message.getAck().getSequence() + ": "
                    + (message.getAck().getSuccess() ? "delivered" : message.getAck().getErrorCode());
            default -> message.getPayloadCase().toString();
        };
        System.out.printf("  [%-5s] %s%n", who, what);
    }

    /** Collects a peer's server messages and waits for them with a deadline. */
    private abstract static class Peer implements AutoCloseable {
        private final BlockingQueue<ServerMessage> inbox = new LinkedBlockingQueue<>();
        /** Completes when the server has closed the connection. */
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        abstract void send(ClientMessage.Builder message);

        /** Ends the session and waits for the server to close the connection. */
        void bye() throws Exception {
            send(ClientMessage.newBuilder().setBye(Bye.getDefaultInstance()));
            ended.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        void received(ServerMessage message) {
            inbox.add(message);
        }

        ServerMessage await(ServerMessage.PayloadCase wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            while (true) {
                ServerMessage message = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new IllegalStateException("no " + wanted + " within " + TIMEOUT_SECONDS + " s");
                }
                if (message.hasError()) {
                    throw new IllegalStateException("server error: " + message.getError());
                }
                if (message.getPayloadCase() == wanted) {
                    return message;
                }
            }
        }
    }

    /** A browser-style peer: proto3 JSON text frames on ws://host:port/signaling. */
    private static final class WebSocketPeer extends Peer implements WebSocket.Listener {
        private final WebSocket socket;
        private final StringBuilder partial = new StringBuilder();

        WebSocketPeer(String host, int port) throws Exception {
            socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://" + host + ":" + port + "/signaling"), this)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        void send(ClientMessage.Builder message) {
            try {
                socket.sendText(JsonFormat.printer().omittingInsignificantWhitespace().print(message), true).join();
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                ServerMessage.Builder message = ServerMessage.newBuilder();
                try {
                    JsonFormat.parser().ignoringUnknownFields().merge(partial.toString(), message);
                    received(message.build());
                } catch (InvalidProtocolBufferException e) {
                    System.err.println("unreadable frame: " + partial);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended.complete(null);
        }

        @Override
        public void close() {
            if (!socket.isOutputClosed()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
            }
        }
    }

    /** A native-style peer: the generated gRPC stub on SignalingService.Connect. */
    private static final class GrpcPeer extends Peer {
        private final ManagedChannel channel;
        private final StreamObserver<ClientMessage> requests;

        GrpcPeer(String host, int port) {
            channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
            requests = SignalingServiceGrpc.newStub(channel).connect(new StreamObserver<>() {
                @Override
                public void onNext(ServerMessage message) {
                    received(message);
                }

                @Override
                public void onError(Throwable t) {
                    if (!ended.isDone()) {
                        System.err.println("gRPC stream failed: " + t);
                    }
                    ended.complete(null);
                }

                @Override
                public void onCompleted() {
                    ended.complete(null);
                }
            });
        }

        @Override
        synchronized void send(ClientMessage.Builder message) {
            requests.onNext(message.build());
        }

        @Override
        public void close() throws InterruptedException {
            if (!ended.isDone()) {
                requests.onCompleted();
            }
            channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
