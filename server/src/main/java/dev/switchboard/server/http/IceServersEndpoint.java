package dev.switchboard.server.http;

import java.util.Set;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.auth.AuthException;
import dev.switchboard.server.auth.Authenticator;
import dev.switchboard.server.auth.BearerToken;
import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.signaling.v1.Error;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.GetIceServersResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /webrtc/ice-servers}: the ICE servers in the shape {@code RTCPeerConnection} takes,
 * {@code {"iceServers":[{"urls":[...]}, {"urls":[...],"username":...,"credential":...}]}}.
 * The JSON is the proto3 JSON of {@code GetIceServersResponse}, so REST and gRPC cannot drift apart.
 */
public final class IceServersEndpoint implements HttpService {
    /** Path of the endpoint, under {@code /webrtc}. */
    public static final String PATH = "/ice-servers";

    private final IceServerProvider iceServers;
    private final Authenticator authenticator;
    // Always print the list, even empty: page code reads config.iceServers without checking for it.
    private final JsonFormat.Printer printer = JsonFormat.printer().includingDefaultValueFields(
            Set.of(GetIceServersResponse.getDescriptor()
                           .findFieldByNumber(GetIceServersResponse.ICE_SERVERS_FIELD_NUMBER)));

    /**
     * @param iceServers    the ICE server source
     * @param authenticator who may ask (auth.mode jwt: a Bearer token in the header or {@code access_token})
     */
    public IceServersEndpoint(IceServerProvider iceServers, Authenticator authenticator) {
        this.iceServers = iceServers;
        this.authenticator = authenticator;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::get);
    }

    private void get(ServerRequest request, ServerResponse response) throws InvalidProtocolBufferException {
        String token = BearerToken.of(request.headers().first(HeaderNames.AUTHORIZATION).orElse(null))
                .or(() -> request.query().first("access_token").asOptional())
                .orElse("");
        Identity caller;
        try {
            caller = authenticator.identify(token, request.query().first("userId").orElse(""));
        } catch (AuthException e) {
            boolean denied = e.code() == ErrorCode.ERROR_CODE_PERMISSION_DENIED;
            response.status(denied ? Status.FORBIDDEN_403 : Status.UNAUTHORIZED_401);
            if (!denied) {
                response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            }
            response.header(HeaderValues.CONTENT_TYPE_JSON);
            response.send(JsonFormat.printer().print(Error.newBuilder().setCode(e.code()).setMessage(e.getMessage())));
            return;
        }
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        // each answer may carry a credential of its own: a shared cache must not hand it to someone else
        response.header(HeaderValues.CACHE_NO_CACHE);
        response.send(printer.print(iceServers.serversFor(caller.userId()).toResponse()));
    }
}
