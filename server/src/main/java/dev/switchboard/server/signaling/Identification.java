package dev.switchboard.server.signaling;

import java.util.Optional;

import dev.switchboard.server.auth.AuthException;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.observe.LogText;
import dev.switchboard.server.session.Errors;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Hello;

import static java.lang.System.Logger.Level.INFO;

/**
 * Who a {@code hello} proves its client is: the token's subject (in the hello, or carried by the connection), or
 * with {@code auth.mode: none} the user id it states. A refusal is answered on the connection, which stays open
 * for another hello.
 *
 * @param authenticator how tokens are checked
 */
record Identification(Authenticator authenticator) {
    private static final System.Logger LOG = System.getLogger("switchboard.session");

    Optional<Identity> identify(CoreConnection connection, Hello hello, String requestId) {
        String token = hello.getToken().isEmpty() ? connection.link().bearerToken().orElse("") : hello.getToken();
        try {
            Identity identity = authenticator.identify(token, hello.getUserId());
            if (identity.userId().isEmpty()) {
                throw new AuthException(ErrorCode.ERROR_CODE_INVALID_MESSAGE, "hello.user_id is required");
            }
            return Optional.of(identity);
        } catch (AuthException e) {
            LOG.log(INFO, "Hello refused on " + connection.link().transport() + ": " + LogText.quote(e.getMessage()));
            connection.reply(Errors.message(e.code(), e.getMessage(), requestId));
            return Optional.empty();
        }
    }

    /**
     * @return whether tokens are verified (auth.mode jwt)
     */
    boolean verifies() {
        return authenticator.verifies();
    }

    /**
     * @param hello a hello
     * @return its client's name and version as a log line quotes them, or empty
     */
    static String clientLabel(Hello hello) {
        if (hello.getClientName().isEmpty()) {
            return "";
        }
        return " with " + LogText.quote(hello.getClientName())
                + (hello.getClientVersion().isEmpty() ? "" : " " + LogText.quote(hello.getClientVersion()));
    }
}
