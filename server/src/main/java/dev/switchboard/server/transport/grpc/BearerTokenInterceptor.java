package dev.switchboard.server.transport.grpc;

import java.util.Optional;

import dev.switchboard.server.auth.BearerToken;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Carries the {@code authorization: Bearer} metadata of a call to the code that opens its connection. */
final class BearerTokenInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> TOKEN = Context.key("switchboard-bearer-token");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        Optional<String> token = BearerToken.of(headers.get(AUTHORIZATION));
        if (token.isEmpty()) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(TOKEN, token.get()), call, headers, next);
    }

    /**
     * @return the token of the call being started, if it had one
     */
    static Optional<String> current() {
        return Optional.ofNullable(TOKEN.get());
    }
}
