package dev.switchboard.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.server.testing.BackgroundPair;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.Authenticate;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.GetIceServersRequest;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.IceServiceGrpc;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Peer;
import dev.switchboard.testkit.Transport;
import dev.switchboard.testkit.WebSocketPeer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.AUTHENTICATED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.ERROR;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.OFFER;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.PEER_JOINED;
import static dev.switchboard.signaling.v1.ServerMessage.PayloadCase.WELCOME;
import static dev.switchboard.testkit.Messages.join;
import static dev.switchboard.testkit.Messages.offer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code auth.mode: jwt}: identities come from verified JWTs (HS256 with the shared secret, RS256 and ES256 with
 * keys from a JWKS file); every forged, stale or misdirected token is refused with UNAUTHENTICATED, a token that
 * does not allow something with PERMISSION_DENIED, and a background pair keeps relaying throughout.
 */
class AuthTest {
    private static final String ISSUER = "https://issuer.switchboard.test";
    private static final String AUDIENCE = "switchboard";
    static final String SECRET = "a shared secret of at least 32 bytes, for HS256";
    private static final RSAKey RSA = generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1").generate());
    private static final ECKey EC = generate(() -> new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate());
    private static final RSAKey UNKNOWN_RSA = generate(() -> new RSAKeyGenerator(2048).keyID("rsa-1").generate());

    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of(
            "auth.mode", "jwt",
            "auth.jwt.secret", SECRET,
            "auth.jwt.jwks-file", jwksFile().toString(),
            "auth.jwt.issuer", ISSUER,
            "auth.jwt.audience", AUDIENCE,
            "auth.jwt.clock-skew", "PT0S"));

    @RegisterExtension
    final BackgroundPair background = new BackgroundPair(server, AuthTest::token);

    private interface KeyMaker<T> {
        T generate() throws JOSEException;
    }

    private static <T> T generate(KeyMaker<T> maker) {
        try {
            return maker.generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path jwksFile() {
        try {
            Path file = Files.createTempFile("switchboard-jwks", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK())).toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Claims that pass: the right issuer and audience, valid for a minute. */
    private static JWTClaimsSet.Builder claims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(1))));
    }

    private static String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, String keyId, JWSSigner signer) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hs256(JWTClaimsSet claims, String secret) {
        try {
            return sign(claims, JWSAlgorithm.HS256, null, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rs256(JWTClaimsSet claims, RSAKey key) {
        try {
            return sign(claims, JWSAlgorithm.RS256, key.getKeyID(), new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String es256(JWTClaimsSet claims) {
        try {
            return sign(claims, JWSAlgorithm.ES256, EC.getKeyID(), new ECDSASigner(EC));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid HS256 token for {@code subject}. */
    static String token(String subject) {
        return hs256(claims(subject).build(), SECRET);
    }

    private static ClientMessage.Builder hello(String token) {
        return ClientMessage.newBuilder().setHello(Hello.newBuilder().setToken(token));
    }

    private static ErrorCode helloRefusal(Peer peer, String token) {
        peer.send(hello(token).build());
        return peer.next(ERROR).getError().getCode();
    }

    enum Algorithm {
        HS256(claims -> hs256(claims, SECRET)),
        RS256(claims -> rs256(claims, RSA)),
        ES256(AuthTest::es256);

        final Function<JWTClaimsSet, String> sign;

        Algorithm(Function<JWTClaimsSet, String> sign) {
            this.sign = sign;
        }
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aValidTokenOfEachAlgorithmOpensASessionForItsSubject(Algorithm algorithm) {
        for (Transport transport : Transport.values()) {
            try (Peer peer = transport.connect("valid", server.port())) {
                String user = "user-" + algorithm + "-" + transport;
                peer.send(hello(algorithm.sign.apply(claims(user).build())).build());
                assertEquals(user, peer.next(WELCOME).getWelcome().getUserId());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void theTokenMayComeWithTheConnection(Transport transport) {
        try (Peer peer = transport.connectWithBearer("bearer", server.port(), token("bearer-" + transport))) {
            peer.send(ClientMessage.newBuilder().setHello(Hello.getDefaultInstance()).build());
            assertEquals("bearer-" + transport, peer.next(WELCOME).getWelcome().getUserId());
        }
    }

    @Test
    void browsersMayPutTheTokenInTheQuery() {
        try (Peer peer = new WebSocketPeer("query", server.port(), false, "access_token=" + token("from-query"),
                                           Map.of())) {
            peer.send(ClientMessage.newBuilder().setHello(Hello.getDefaultInstance()).build());
            assertEquals("from-query", peer.next(WELCOME).getWelcome().getUserId());
        }
    }

    static List<Object[]> refusedTokens() {
        Instant now = Instant.now();
        String valid = token("mallory");
        String[] parts = valid.split("\\.");
        String otherPayload = token("admin").split("\\.")[1];
        return List.of(
                new Object[] {"no token", ""},
                new Object[] {"not a JWT", "not-a-jwt"},
                new Object[] {"tampered payload", parts[0] + "." + otherPayload + "." + parts[2]},
                new Object[] {"tampered signature", parts[0] + "." + parts[1] + "." + parts[2].substring(3) + "abc"},
                new Object[] {"expired", hs256(claims("mallory").expirationTime(Date.from(now.minusSeconds(5)))
                                                       .build(), SECRET)},
                new Object[] {"not yet valid", hs256(claims("mallory").notBeforeTime(Date.from(now.plusSeconds(600)))
                                                             .build(), SECRET)},
                new Object[] {"no expiry", hs256(claims("mallory").expirationTime(null).build(), SECRET)},
                new Object[] {"other issuer", hs256(claims("mallory").issuer("https://evil.test").build(), SECRET)},
                new Object[] {"other audience", hs256(claims("mallory").audience("elsewhere").build(), SECRET)},
                new Object[] {"wrong secret", hs256(claims("mallory").build(), "another secret of at least 32 bytes!!")},
                new Object[] {"unknown RSA key", rs256(claims("mallory").build(), UNKNOWN_RSA)},
                new Object[] {"alg none", new PlainJWT(claims("mallory").build()).serialize()},
                new Object[] {"HS256 keyed with the RSA public key (algorithm confusion)",
                              hs256(claims("mallory").build(), RSA.toPublicJWK().toJSONString())});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void aForgedStaleOrMisdirectedTokenIsRefusedAndTheConnectionMayTryAgain(String why, String token) {
        for (Transport transport : Transport.values()) {
            try (Peer peer = transport.connect("refused", server.port())) {
                assertEquals(ErrorCode.ERROR_CODE_UNAUTHENTICATED, helloRefusal(peer, token), why + " on " + transport);
                background.relay();
                peer.send(hello(token("honest-" + transport)).build());
                assertEquals("honest-" + transport, peer.next(WELCOME).getWelcome().getUserId());
            }
        }
    }

    @Test
    void keysMayComeFromAJwksUrl() throws Exception {
        HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(EC.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        try (TestServer fromUrl = TestServer.start(Map.of(
                "auth.mode", "jwt",
                "auth.jwt.jwks-url", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json"));
             Peer peer = Transport.GRPC.connect("jwks-url", fromUrl.port())) {
            assertEquals(ErrorCode.ERROR_CODE_UNAUTHENTICATED, helloRefusal(peer, rs256(claims("r").build(), RSA)),
                         "only the published key verifies");
            peer.send(hello(es256(claims("from-url").build())).build());
            assertEquals("from-url", peer.next(WELCOME).getWelcome().getUserId());
        } finally {
            jwks.stop(0);
        }
    }

    @Test
    void noOneCanClaimAnotherUserId() {
        try (Peer peer = Transport.GRPC.connect("claims", server.port())) {
            peer.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setUserId("alice")
                                                                  .setToken(token("mallory"))).build());
            assertEquals(ErrorCode.ERROR_CODE_PERMISSION_DENIED, peer.next(ERROR).getError().getCode());
        }
    }

    @Test
    void aResumeTokenResumesOnlyForItsOwnUser() {
        try (Peer alice = Transport.WEBSOCKET_JSON.connect("alice", server.port())) {
            alice.send(hello(token("alice")).build());
            String resumeToken = alice.next(WELCOME).getWelcome().getResumeToken();
            alice.abort();

            try (Peer thief = Transport.GRPC.connect("thief", server.port())) {
                thief.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setResumeToken(resumeToken))
                                   .build());
                assertEquals(ErrorCode.ERROR_CODE_UNAUTHENTICATED, thief.next(ERROR).getError().getCode(),
                             "a resume token alone is not a credential");
                thief.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setResumeToken(resumeToken)
                                                                        .setToken(token("mallory"))).build());
                ServerMessage refused = thief.next(ERROR);
                assertEquals(ErrorCode.ERROR_CODE_RESUME_FAILED, refused.getError().getCode());
            }
            try (Peer back = Transport.GRPC.connect("alice-back", server.port())) {
                back.send(ClientMessage.newBuilder().setHello(Hello.newBuilder().setResumeToken(resumeToken)
                                                                      .setToken(token("alice"))).build());
                assertTrue(back.next(WELCOME).getWelcome().getResumed());
            }
        }
    }

    @Test
    void theRoomsClaimLimitsWhatATokenMayJoin() {
        String limited = hs256(claims("roomy").claim("rooms", List.of("team-*", "lobby")).build(), SECRET);
        try (Peer peer = Transport.WEBSOCKET_BINARY.connect("rooms", server.port())) {
            peer.send(hello(limited).build());
            peer.next(WELCOME);
            peer.join("team-blue");
            peer.join("lobby");
            peer.send(join("boardroom").build());
            assertEquals(ErrorCode.ERROR_CODE_PERMISSION_DENIED, peer.next(ERROR).getError().getCode());
            peer.send(join("lobby-2").build());
            assertEquals(ErrorCode.ERROR_CODE_PERMISSION_DENIED, peer.next(ERROR).getError().getCode());
        }
    }

    @Test
    void roomPeersSeeEachOthersProfileFromTheirTokensInTheirOwnWireForm() {
        String ada = hs256(claims("ada").claim("name", "Ada Lovelace").claim("picture", "https://example.test/ada.png")
                                   .claim("email", "ada@example.test").build(), SECRET);
        String bob = hs256(claims("bob").claim("name", "Bob").build(), SECRET);
        try (Peer first = Transport.WEBSOCKET_JSON.connect("ada", server.port());
             Peer second = Transport.GRPC.connect("bob", server.port())) {
            first.send(hello(ada).build());
            Map<String, String> adaProfile = Map.of("name", "Ada Lovelace", "picture", "https://example.test/ada.png");
            assertEquals(adaProfile, first.next(WELCOME).getWelcome().getProfileMap(), "no email by default");
            second.send(hello(bob).build());
            second.next(WELCOME);
            first.join("salon");
            assertEquals(adaProfile, second.join("salon").getRoomJoined().getMembers(0).getProfileMap());
            assertEquals(Map.of("name", "Bob"), first.next(PEER_JOINED).getPeerJoined().getProfileMap());
        }
    }

    @Test
    void aSessionOutlivesItsTokenButJoinsOnlyWithAFreshOne() throws Exception {
        Instant expiry = Instant.now().plusSeconds(2);
        String shortLived = hs256(claims("brief").expirationTime(Date.from(expiry)).build(), SECRET);
        try (Peer brief = Transport.GRPC.connect("brief", server.port());
             Peer other = Transport.WEBSOCKET_JSON.connect("other", server.port())) {
            brief.send(hello(shortLived).build());
            brief.next(WELCOME);
            other.send(hello(token("other")).build());
            other.next(WELCOME);
            brief.join("expiring");
            other.join("expiring");

            // the scenario is the passing of time: the token runs out while the session is open
            TimeUnit.MILLISECONDS.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis() + 100));

            brief.sendNumbered(offer("expiring", "other", "v=0 after expiry"));
            assertEquals("v=0 after expiry", other.next(OFFER).getOffer().getSdp(), "the session keeps running");
            brief.send(join("another-room").build());
            assertEquals(ErrorCode.ERROR_CODE_UNAUTHENTICATED, brief.next(ERROR).getError().getCode());

            brief.send(authenticate(token("other")));
            assertEquals(ErrorCode.ERROR_CODE_PERMISSION_DENIED, brief.next(ERROR).getError().getCode(),
                         "a fresh token must be the session's own user's");
            brief.send(authenticate(token("brief")));
            assertEquals("brief", brief.next(AUTHENTICATED).getAuthenticated().getUserId());
            brief.join("another-room");
            assertFalse(brief.isClosed());
        }
    }

    @Test
    void iceServersOverRestNeedTheSameToken() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/webrtc/ice-servers");
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElse(""));
        assertTrue(anonymous.body().contains("ERROR_CODE_UNAUTHENTICATED"), anonymous.body());

        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(uri)
                                                        .header("Authorization", "Bearer " + token("x") + "x")
                                                        .build(), BodyHandlers.ofString());
        assertEquals(401, forged.statusCode());

        HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(uri + "?userId=alice"))
                                                       .header("Authorization", "Bearer " + token("mallory"))
                                                       .build(), BodyHandlers.ofString());
        assertEquals(403, other.statusCode(), "a token cannot ask for another user's credentials");

        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri)
                                                    .header("Authorization", "Bearer " + token("alice"))
                                                    .build(), BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        assertTrue(ok.body().contains("iceServers"), ok.body());
        HttpResponse<String> query = http.send(HttpRequest.newBuilder(URI.create(uri + "?access_token="
                                                                                 + token("alice"))).build(),
                                               BodyHandlers.ofString());
        assertEquals(200, query.statusCode());
    }

    @Test
    void iceServersOverGrpcNeedTheSameToken() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        try {
            StatusRuntimeException anonymous = assertThrows(StatusRuntimeException.class, () ->
                    IceServiceGrpc.newBlockingStub(channel).getIceServers(GetIceServersRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, anonymous.getStatus().getCode());

            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token("bob"));
            IceServiceGrpc.IceServiceBlockingStub authenticated = IceServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            assertTrue(authenticated.getIceServers(GetIceServersRequest.getDefaultInstance()).getIceServersCount() > 0);
            StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () ->
                    authenticated.getIceServers(GetIceServersRequest.newBuilder().setUserId("alice").build()));
            assertEquals(Status.Code.PERMISSION_DENIED, other.getStatus().getCode());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static ClientMessage authenticate(String token) {
        return ClientMessage.newBuilder().setAuthenticate(Authenticate.newBuilder().setToken(token)).build();
    }
}
