package dev.switchboard.server.http;

import java.util.Set;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.signaling.v1.GetIceServersResponse;
import io.helidon.http.HeaderValues;
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
    // Always print the list, even empty: page code reads config.iceServers without checking for it.
    private final JsonFormat.Printer printer = JsonFormat.printer().includingDefaultValueFields(
            Set.of(GetIceServersResponse.getDescriptor()
                           .findFieldByNumber(GetIceServersResponse.ICE_SERVERS_FIELD_NUMBER)));

    /**
     * @param iceServers the ICE server source
     */
    public IceServersEndpoint(IceServerProvider iceServers) {
        this.iceServers = iceServers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::get);
    }

    private void get(ServerRequest request, ServerResponse response) throws InvalidProtocolBufferException {
        String userId = request.query().first("userId").orElse("");
        GetIceServersResponse body = GetIceServersResponse.newBuilder()
                .addAllIceServers(iceServers.serversFor(userId))
                .build();
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.header(HeaderValues.CACHE_NO_CACHE);
        response.send(printer.print(body));
    }
}
