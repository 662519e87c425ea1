package dev.switchboard.server.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * How clients prove who they are ({@code auth.*}).
 *
 * @param mode       none (development: identity as the client states it) or jwt
 * @param secret     HS256 shared secret, when configured
 * @param jwksFile   a JWKS file with RS256 / ES256 public keys, when configured
 * @param jwksUrl    a JWKS URL, when configured
 * @param issuer     the required {@code iss}, when configured
 * @param audience   the required {@code aud}, when configured
 * @param roomsClaim the claim that lists the rooms a token may join
 * @param profileClaims the claims copied into the user's profile, which its room peers see
 * @param clockSkew  tolerance on {@code exp} and {@code nbf}
 */
public record AuthSettings(Mode mode,
                           Optional<String> secret,
                           Optional<Path> jwksFile,
                           Optional<URI> jwksUrl,
                           Optional<String> issuer,
                           Optional<String> audience,
                           String roomsClaim,
                           List<String> profileClaims,
                           Duration clockSkew) {
    /** HS256 needs a key of at least 256 bits. */
    static final int MIN_SECRET_BYTES = 32;

    /** What a profile may hold, so that a room's member list stays small whatever tokens carry. */
    static final int MAX_PROFILE_CLAIMS = 16;

    /** The claims a profile holds unless configured: display fields, not e-mail addresses (add those by choice). */
    static final List<String> DEFAULT_PROFILE_CLAIMS = List.of("name", "username", "avatar", "picture");

    /** Authentication modes. */
    public enum Mode {
        /** Identity is {@code hello.user_id}, unverified: for development and trusted networks only. */
        NONE,
        /** Identity is the {@code sub} of a JWT signed by a configured key. */
        JWT
    }

    /**
     * @throws IllegalArgumentException naming the setting when jwt mode lacks keys or a secret is too short
     */
    public AuthSettings {
        if (mode == Mode.JWT && secret.isEmpty() && jwksFile.isEmpty() && jwksUrl.isEmpty()) {
            throw new IllegalArgumentException("auth.mode is jwt, but none of auth.jwt.secret (AUTH_JWT_SECRET), "
                                               + "auth.jwt.jwks-file, auth.jwt.jwks-url is set");
        }
        if (secret.isPresent() && secret.get().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("auth.jwt.secret (AUTH_JWT_SECRET) must be at least "
                                               + MIN_SECRET_BYTES + " bytes for HS256");
        }
        if (profileClaims.size() > MAX_PROFILE_CLAIMS) {
            throw new IllegalArgumentException("auth.jwt.profile-claims names " + profileClaims.size()
                                               + " claims; at most " + MAX_PROFILE_CLAIMS + " are allowed");
        }
        profileClaims = List.copyOf(profileClaims);
        if (jwksFile.isPresent() && !Files.isReadable(jwksFile.get())) {
            throw new IllegalArgumentException("auth.jwt.jwks-file " + jwksFile.get() + " cannot be read");
        }
    }

    /**
     * Binds the {@code auth} section.
     *
     * @param config root configuration
     * @return the settings
     */
    public static AuthSettings from(Config config) {
        Config auth = config.get("auth");
        String mode = ConfigValues.string(auth.get("mode")).trim();
        Mode parsed = switch (mode) {
            case "none" -> Mode.NONE;
            case "jwt" -> Mode.JWT;
            default -> throw new IllegalArgumentException("auth.mode (AUTH_MODE) must be none or jwt, but is \""
                                                          + mode + "\"");
        };
        Config jwt = auth.get("jwt");
        return new AuthSettings(parsed,
                                optional(jwt.get("secret")),
                                optional(jwt.get("jwks-file")).map(Path::of),
                                optional(jwt.get("jwks-url")).map(url -> uri(jwt.get("jwks-url").key(), url)),
                                optional(jwt.get("issuer")),
                                optional(jwt.get("audience")),
                                optional(jwt.get("rooms-claim")).orElse("rooms"),
                                jwt.get("profile-claims").exists() ? ConfigValues.stringList(jwt.get("profile-claims"))
                                        : DEFAULT_PROFILE_CLAIMS,
                                ConfigValues.duration(jwt.get("clock-skew")));
    }

    private static Optional<String> optional(Config node) {
        return node.asString().asOptional().map(String::trim).filter(value -> !value.isEmpty());
    }

    private static URI uri(Object key, String value) {
        try {
            URI uri = new URI(value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new URISyntaxException(value, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + " must be an http(s) URL, but is \"" + value + "\"", e);
        }
    }
}
