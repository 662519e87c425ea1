package dev.switchboard.server.ice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials in the TURN REST API form (draft-uberti-behave-turn-rest-00) that coturn accepts
 * with {@code use-auth-secret}: the username is {@code <expiry, Unix seconds>:<user id>}, the password is
 * {@code base64(HMAC-SHA1(secret, username))}. The TURN server recomputes the password from the username and
 * its copy of the secret, and refuses the username once its expiry has passed.
 */
public final class TurnRestCredentials {
    private static final String HMAC_SHA1 = "HmacSHA1";

    private TurnRestCredentials() {
    }

    /**
     * The username for a user's credential.
     *
     * @param expiry when the credential stops being accepted (whole seconds count)
     * @param userId who it is for, so the TURN server's logs and quotas can tell users apart; empty for none
     * @return {@code <expiry>:<userId>}, or just {@code <expiry>} without a user id
     */
    public static String username(Instant expiry, String userId) {
        String timestamp = Long.toString(expiry.getEpochSecond());
        return userId.isEmpty() ? timestamp : timestamp + ":" + userId;
    }

    /**
     * The password for a username.
     *
     * @param secret   the secret shared with the TURN server ({@code static-auth-secret})
     * @param username the username from {@link #username}
     * @return {@code base64(HMAC-SHA1(secret, username))}
     */
    public static String password(String secret, String username) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA1);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC_SHA1));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // every Java platform must provide HmacSHA1, and any byte string is a valid HMAC key
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }
}
