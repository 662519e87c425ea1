package dev.switchboard.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.GetIceServersRequest;
import dev.switchboard.signaling.v1.IceServiceGrpc;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalingServiceGrpc;
import dev.switchboard.testkit.Messages;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS on the one port, from configuration ({@code server.tls}), with a certificate this test makes: WebSocket
 * (wss), gRPC and REST all speak TLS, and a client that does not trust the certificate gets nowhere.
 */
class TlsTest {
    private static final String PASSWORD = "changeit";
    private static final Path DIRECTORY = directory();
    private static final Path KEYSTORE = DIRECTORY.resolve("server.p12");
    private static final Path CERTIFICATE = DIRECTORY.resolve("server.pem");

    static {
        keytool("-genkeypair", "-alias", "switchboard", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", KEYSTORE.toString(), "-storepass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "switchboard", "-keystore", KEYSTORE.toString(),
                "-storepass", PASSWORD, "-file", CERTIFICATE.toString());
    }

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(
            "server.tls.private-key.keystore.resource.path", KEYSTORE.toString(),
            "server.tls.private-key.keystore.passphrase", PASSWORD,
            "server.tls.private-key.keystore.key.alias", "switchboard"));

    private static Path directory() {
        try {
            Path directory = Files.createTempDirectory("switchboard-tls");
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        try {
            Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context that trusts only this test's certificate. */
    private static SSLContext trustingOurCertificate() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(KEYSTORE)) {
            trust.load(in, PASSWORD.toCharArray());
        }
        KeyStore certificates = KeyStore.getInstance(KeyStore.getDefaultType());
        certificates.load(null, null);
        certificates.setCertificateEntry("switchboard", trust.getCertificate("switchboard"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(certificates);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    @Test
    void restAndWebSocketSpeakTls() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trustingOurCertificate()).build();
        var response = https.send(HttpRequest.newBuilder(URI.create(
                "https://127.0.0.1:" + server.port() + "/webrtc/ice-servers")).build(), BodyHandlers.ofString());
        assertEquals(200, response.statusCode());

        CompletableFuture<String> welcome = new CompletableFuture<>();
        WebSocket socket = https.newWebSocketBuilder()
                .buildAsync(URI.create("wss://127.0.0.1:" + server.port() + "/signaling"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        welcome.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"hello\":{\"userId\":\"over-tls\"}}", true).get(10, TimeUnit.SECONDS);
        assertTrue(welcome.get(10, TimeUnit.SECONDS).contains("over-tls"));
        socket.abort();
    }

    @Test
    void grpcSpeaksTls() throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                "127.0.0.1", server.port(),
                TlsChannelCredentials.newBuilder().trustManager(CERTIFICATE.toFile()).build()).build();
        try {
            assertTrue(IceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                               .getIceServers(GetIceServersRequest.getDefaultInstance()).getIceServersCount() > 0);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** HTTP/2 chosen by ALPN reaches the same guarded selector as plaintext HTTP/2 (see Http2RoutesTest). */
    @Test
    void grpcOverTlsHasTheSizeGuardAndTheHeartbeat() throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                "127.0.0.1", server.port(),
                TlsChannelCredentials.newBuilder().trustManager(CERTIFICATE.toFile()).build()).build();
        try {
            CompletableFuture<Status> ended = new CompletableFuture<>();
            StreamObserver<ClientMessage> requests = SignalingServiceGrpc.newStub(channel).connect(
                    new StreamObserver<>() {
                        @Override
                        public void onNext(ServerMessage message) {
                        }

                        @Override
                        public void onError(Throwable t) {
                            ended.complete(Status.fromThrowable(t));
                        }

                        @Override
                        public void onCompleted() {
                            ended.complete(Status.OK);
                        }
                    });
            requests.onNext(Messages.hello("large-over-tls").build());
            requests.onNext(Messages.offer("r", "x", "v=0 " + "x".repeat(70_000)).build());
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, ended.get(10, TimeUnit.SECONDS).getCode());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateGetsNowhere() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThrows(IOException.class, () -> untrusting.send(HttpRequest.newBuilder(URI.create(
                "https://127.0.0.1:" + server.port() + "/webrtc/ice-servers")).build(), BodyHandlers.ofString()));
    }
}
