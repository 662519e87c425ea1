package dev.switchboard.server;

import java.util.HashMap;
import java.util.Map;

import dev.switchboard.server.transport.gate.Admission;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.Status;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * What every HTTP route shares: the admission filter, the 404 with a body, and the server settings Helidon reads.
 */
final class HttpEndpoints {
    private HttpEndpoints() {
    }

    /**
     * The server's settings as Helidon reads them, without {@code protocols}: the gate builds the HTTP/1.1 and
     * HTTP/2 selectors from those itself, and Helidon would add selectors of its own for them.
     */
    static Config withoutProtocols(Config server) {
        Map<String, String> settings = new HashMap<>(server.detach().asMap().orElse(Map.of()));
        settings.keySet().removeIf(key -> key.equals("protocols") || key.startsWith("protocols."));
        return Config.builder(ConfigSources.create(settings))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
    }

    /** A request head was read (HTTP/2 requests have no HTTP/1.1 listener to say so): the connection is a client's. */
    static void requestReceived(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        Admission.current().ifPresent(admission -> {
            admission.requestReceived();
            admission.settle();
        });
        chain.proceed();
    }

    /**
     * Helidon's own 404 has an empty body, and a JDK HttpClient that upgraded the request to HTTP/2 (h2c) then
     * waits for it forever: answer with a body (except under /observe, whose routes the observe feature adds
     * after these).
     */
    static void notFound(ServerRequest request, ServerResponse response) {
        String path = request.path().path();
        if (path.startsWith("/observe/") || path.equals("/observe")) {
            response.next();
            return;
        }
        response.status(Status.NOT_FOUND_404).send("not found: " + path);
    }
}
