package dev.switchboard.server.auth;

import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.switchboard.signaling.v1.ErrorCode;

/**
 * Turns a client's credential into an {@link Identity}. With {@code auth.mode jwt} a token is verified with
 * Nimbus JOSE+JWT: HS256 only with the configured secret, RS256 / ES256 only with keys from the configured JWKS,
 * so neither {@code alg: none} nor algorithm confusion (an HMAC signed with a public key) can pass; {@code exp}
 * is required, the user is {@code sub} (else an {@code id} claim), {@code nbf}, {@code iss} and {@code aud} enforced.
 */
public final class Authenticator {
    private final AuthSettings settings;
    private final DefaultJWTProcessor<SecurityContext> jwt;

    private Authenticator(AuthSettings settings, DefaultJWTProcessor<SecurityContext> jwt) {
        this.settings = settings;
        this.jwt = jwt;
    }

    /**
     * @param settings the {@code auth} settings
     * @return the authenticator they describe
     * @throws IllegalArgumentException naming the setting when the JWKS file or URL is unusable
     */
    public static Authenticator create(AuthSettings settings) {
        if (settings.mode() == AuthSettings.Mode.NONE) {
            return new Authenticator(settings, null);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keySelector(settings));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audience().map(Set::of).orElse(null),
                settings.issuer().map(issuer -> new JWTClaimsSet.Builder().issuer(issuer).build()).orElse(null),
                Set.of("exp"),
                null);
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        return new Authenticator(settings, processor);
    }

    private static JWSKeySelector<SecurityContext> keySelector(AuthSettings settings) {
        Key secret = settings.secret()
                .map(value -> new SecretKeySpec(value.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .orElse(null);
        JWSKeySelector<SecurityContext> published = jwks(settings)
                .map(source -> new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                                                                  source))
                .orElse(null);
        return (header, context) -> {
            JWSAlgorithm algorithm = header.getAlgorithm();
            if (JWSAlgorithm.HS256.equals(algorithm)) {
                return secret == null ? List.of() : List.of(secret);
            }
            return published == null ? List.of() : published.selectJWSKeys(header, context);
        };
    }

    private static Optional<JWKSource<SecurityContext>> jwks(AuthSettings settings) {
        if (settings.jwksFile().isPresent()) {
            try {
                return Optional.of(new ImmutableJWKSet<>(JWKSet.load(settings.jwksFile().get().toFile())));
            } catch (IOException | ParseException e) {
                throw new IllegalArgumentException("auth.jwt.jwks-file " + settings.jwksFile().get()
                                                   + " is not a JWKS: " + e.getMessage(), e);
            }
        }
        return settings.jwksUrl().map(url -> {
            try {
                return JWKSourceBuilder.<SecurityContext>create(url.toURL()).retrying(true).build();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("auth.jwt.jwks-url " + url + " is not a URL", e);
            }
        });
    }

    /**
     * @return whether a credential is verified (auth.mode jwt) rather than taken as stated
     */
    public boolean verifies() {
        return jwt != null;
    }

    /**
     * The token's user: its {@code sub}, or else an {@code id} claim (string or number), as the Socket.IO gateway
     * Switchboard replaces read it.
     */
    private static String userOf(JWTClaimsSet claims) throws AuthException {
        Object user = claims.getSubject() != null ? claims.getSubject() : claims.getClaim("id");
        if (user instanceof String || user instanceof Number) {
            String id = user.toString();
            if (!id.isEmpty()) {
                return id;
            }
        }
        throw new AuthException(ErrorCode.ERROR_CODE_UNAUTHENTICATED, "the token names no user: no sub, nor an id");
    }

    /**
     * The profile claims the token has, as text: strings, numbers and booleans; any other value (an object, a
     * list), or one longer than {@link Identity#MAX_PROFILE_VALUE_CHARS}, is not a display field and is left out.
     */
    private Map<String, String> profileOf(JWTClaimsSet claims) {
        Map<String, String> profile = new LinkedHashMap<>();
        for (String claim : settings.profileClaims()) {
            Object value = claims.getClaim(claim);
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                String text = value.toString();
                if (!text.isEmpty() && text.length() <= Identity.MAX_PROFILE_VALUE_CHARS) {
                    profile.put(claim, text);
                }
            }
        }
        return profile;
    }

    /**
     * Establishes who the client is.
     *
     * @param token         the client's token, or empty
     * @param claimedUserId the user id the client states, or empty
     * @return the identity
     * @throws AuthException UNAUTHENTICATED for a missing or refused token (or a missing user id without
     *                       auth), PERMISSION_DENIED when the stated user id is not the token's subject
     */
    public Identity identify(String token, String claimedUserId) throws AuthException {
        if (jwt == null) {
            return Identity.unverified(claimedUserId);
        }
        if (token.isEmpty()) {
            throw new AuthException(ErrorCode.ERROR_CODE_UNAUTHENTICATED,
                                    "a token is required: hello.token, or a Bearer token on the connection");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.process(token, null);
        } catch (ParseException e) {
            throw new AuthException(ErrorCode.ERROR_CODE_UNAUTHENTICATED, "the token is not a JWT");
        } catch (BadJOSEException e) {
            throw new AuthException(ErrorCode.ERROR_CODE_UNAUTHENTICATED, "token refused: " + e.getMessage());
        } catch (JOSEException e) {
            throw new AuthException(ErrorCode.ERROR_CODE_UNAUTHENTICATED, "the token could not be verified");
        }
        String subject = userOf(claims);
        if (!claimedUserId.isEmpty() && !claimedUserId.equals(subject)) {
            throw new AuthException(ErrorCode.ERROR_CODE_PERMISSION_DENIED,
                                    "the user id stated is not the token's subject");
        }
        try {
            Optional<List<String>> rooms = Optional.ofNullable(claims.getStringListClaim(settings.roomsClaim()));
            return new Identity(subject, rooms, Optional.of(claims.getExpirationTime().toInstant()),
                                profileOf(claims));
        } catch (ParseException e) {
            throw new AuthException(ErrorCode.ERROR_CODE_UNAUTHENTICATED,
                                    "the token's " + settings.roomsClaim() + " claim is not a list of strings");
        }
    }
}
