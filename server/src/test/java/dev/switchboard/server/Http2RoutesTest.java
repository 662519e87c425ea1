package dev.switchboard.server;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.switchboard.server.testing.BackgroundPair;
import dev.switchboard.server.testing.Heap;
import dev.switchboard.server.testing.LogCapture;
import dev.switchboard.server.testing.RawHttp2;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalingServiceGrpc;
import dev.switchboard.testkit.Messages;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every way to reach gRPC (HTTP/2 by prior knowledge, the h2c upgrade from HTTP/1.1; TLS with ALPN is in
 * {@link TlsTest}) gets the same guards: a message prefix is checked before Helidon allocates what it declares, a
 * compressed flag nobody negotiated resets the stream with a typed code and costs the log one line, and the server
 * pings the connection. A connection holds a bounded number of streams, and an ended stream holds nothing.
 */
class Http2RoutesTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("heartbeat.interval", "PT0.3S",
                                                                "heartbeat.timeout", "PT5S"));
    @RegisterExtension
    final BackgroundPair background = new BackgroundPair(server);

    /** The two plaintext ways into HTTP/2. */
    enum Route {
        PRIOR_KNOWLEDGE(1),
        H2C_UPGRADE(3);     // stream 1 is the upgraded HTTP/1.1 request

        final int firstStream;

        Route(int firstStream) {
            this.firstStream = firstStream;
        }

        RawHttp2 open(int port) throws IOException {
            return this == PRIOR_KNOWLEDGE ? RawHttp2.priorKnowledge(port) : RawHttp2.upgraded(port);
        }
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void aPrefixDeclaringGigabytesIsRefusedBeforeAnythingIsAllocated(Route route) throws IOException {
        try (RawHttp2 client = route.open(server.port())) {
            for (int i = 0; i < 20; i++) {
                int stream = route.firstStream + 2 * i;
                client.openConnect(stream);
                client.sendMessage(stream, 0, 2_000_000_000L, new byte[64]);
                RawHttp2.Frame reset = client.next(RawHttp2.RST_STREAM, stream);
                assertEquals(RawHttp2.ENHANCE_YOUR_CALM, reset.errorCode(), "gRPC clients see RESOURCE_EXHAUSTED");
                background.relay();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void aCompressedFlagNobodyNegotiatedIsATypedResetAndOneLogLine(Route route) throws IOException {
        List<LogRecord> lines;
        try (LogCapture log = LogCapture.start(); RawHttp2 client = route.open(server.port())) {
            byte[] hello = Messages.hello("compressed-" + route).build().toByteArray();
            for (int i = 0; i < 100; i++) {
                int stream = route.firstStream + 2 * i;
                client.openConnect(stream);
                client.sendMessage(stream, 1, hello.length, hello);
                RawHttp2.Frame reset = client.next(RawHttp2.RST_STREAM, stream);
                assertEquals(RawHttp2.PROTOCOL_ERROR, reset.errorCode(), "gRPC clients see INTERNAL, not OK");
            }
            lines = log.atLeast(Level.INFO).stream()
                    .filter(line -> line.getLoggerName().startsWith("io.helidon")
                            || line.getLoggerName().contains("grpc"))
                    .toList();
        }
        background.relay();
        assertEquals(1, lines.size(), "one line for 100 bad frames: " + lines.stream().map(LogRecord::getMessage)
                .toList());
        assertTrue(lines.getFirst().getThrown() == null && lines.getFirst().getMessage().length() < 300);
    }

    @ParameterizedTest
    @EnumSource(Route.class)
    void theServerPingsAConnectionOnEveryRoute(Route route) throws IOException {
        try (RawHttp2 client = route.open(server.port())) {
            int stream = route.firstStream;
            client.openConnect(stream);
            byte[] hello = Messages.hello("pinged-" + route).build().toByteArray();
            client.sendMessage(stream, 0, hello.length, hello);
            RawHttp2.Frame ping = client.next(RawHttp2.PING, 0);
            assertEquals(0, ping.flags() & 0x1, "a PING, not an ACK of ours");
            client.frame(RawHttp2.PING, 0x1, 0, ping.payload());
        }
    }

    @Test
    void aConnectionHoldsAtMostAHundredStreams() throws IOException {
        try (RawHttp2 client = RawHttp2.priorKnowledge(server.port())) {
            for (int i = 0; i < 100; i++) {
                client.openConnect(1 + 2 * i);
            }
            client.openConnect(201);
            RawHttp2.Frame refusal;
            do {
                refusal = client.next();
            } while (refusal.type() != RawHttp2.GOAWAY && !(refusal.type() == RawHttp2.RST_STREAM
                                                             && refusal.stream() == 201));
            // Helidon answers a client that ignores the advertised limit with GOAWAY (REFUSED_STREAM)
            assertEquals(RawHttp2.REFUSED_STREAM, refusal.errorCode());
        }
    }

    @Test
    void aClientThatOpensAndResetsStreamsForNothingLosesItsConnection() throws IOException {
        try (RawHttp2 client = RawHttp2.priorKnowledge(server.port())) {
            Optional<RawHttp2.Frame> goAway = Optional.empty();
            for (int i = 0; i < 150 && goAway.isEmpty(); i++) {
                int stream = 1 + 2 * i;
                client.openConnect(stream);
                client.frame(RawHttp2.RST_STREAM, 0, stream, new byte[] {0, 0, 0, 8});     // CANCEL
                if (i >= 100) {
                    // the 101st reset closes the connection; a reset can go uncounted (seen once in a loaded CI,
                    // most likely one reaching Helidon while its stream is set up), so a few more may be needed
                    goAway = client.next(RawHttp2.GOAWAY, 0, Duration.ofSeconds(1));
                }
            }
            assertTrue(goAway.isPresent(), "no GOAWAY after 150 streams opened and reset for nothing");
            assertEquals(RawHttp2.ENHANCE_YOUR_CALM, goAway.get().errorCode(), "the rapid-reset attack is refused");
        }
        background.relay();
    }

    @Test
    void anEndedStreamHoldsNothingWhileItsConnectionStaysOpen() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            SignalingServiceGrpc.SignalingServiceStub stub = SignalingServiceGrpc.newStub(channel);
            long before = Heap.instances("dev.switchboard.server.session.Session");
            for (int i = 0; i < 500; i++) {
                Call call = new Call();
                StreamObserver<ClientMessage> requests = stub.connect(call);
                requests.onNext(Messages.hello("ended-" + i).build());
                requests.onNext(Messages.bye().build());
                requests.onCompleted();
                assertTrue(call.ended.await(10, TimeUnit.SECONDS), "stream " + i + " ended");
            }
            long after = Heap.instances("dev.switchboard.server.session.Session");
            assertTrue(after <= before + 10, "500 ended streams on one connection left " + (after - before)
                    + " sessions reachable");
            assertTrue(Heap.threads("switchboard-") < 50, "no thread waits for an ended stream");
            background.relay();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStreamTheClientCancelsHoldsNothingEither() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            SignalingServiceGrpc.SignalingServiceStub stub = SignalingServiceGrpc.newStub(channel);
            long before = Heap.instances("dev.switchboard.server.session.Session");
            for (int i = 0; i < 300; i++) {
                Call call = new Call();
                var requests = (io.grpc.stub.ClientCallStreamObserver<ClientMessage>) stub.connect(call);
                requests.onNext(Messages.hello("cancelled-" + i).build());
                assertEquals(ServerMessage.PayloadCase.WELCOME, call.first.get(10, TimeUnit.SECONDS).getPayloadCase(),
                             () -> "call " + call.status);
                requests.cancel("done", null);
                assertTrue(call.ended.await(10, TimeUnit.SECONDS), "stream " + i + " ended");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Heap.threads("[") > 20 && System.nanoTime() < deadline) {
                Thread.onSpinWait();    // Helidon names its stream threads "[socket ...] - stream"
            }
            assertTrue(Heap.threads("[") <= 20, "a thread per cancelled stream stays parked");
            assertTrue(Heap.instances("dev.switchboard.server.session.Session") <= before + 300,
                       "cancelled sessions wait for a resume; nothing more");
            background.relay();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Waits for the end of one call's responses. */
    private static final class Call implements StreamObserver<ServerMessage> {
        final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CompletableFuture<ServerMessage> first = new java.util.concurrent.CompletableFuture<>();

        @Override
        public void onNext(ServerMessage message) {
            first.complete(message);
        }

        volatile Status status;

        @Override
        public void onError(Throwable t) {
            status = Status.fromThrowable(t);
            first.completeExceptionally(t);
            ended.countDown();
        }

        @Override
        public void onCompleted() {
            ended.countDown();
        }
    }
}
