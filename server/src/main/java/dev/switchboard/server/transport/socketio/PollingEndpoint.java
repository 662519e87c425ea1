package dev.switchboard.server.transport.socketio;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import dev.switchboard.server.auth.AllowedOrigins;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Engine.IO's HTTP long-polling transport at {@code /socket.io/}: a GET without {@code sid} is the handshake, a GET
 * with one waits for the server's packets, a POST carries the client's (packets joined by the record separator
 * {@code \u001e}). Errors are answered as Engine.IO's own server answers them: 400 with {@code {code, message}}.
 */
final class PollingEndpoint implements HttpService {
    private static final char SEPARATOR = '\u001e';

    private final EngineServer engines;
    private final SocketIoSettings settings;
    private final AllowedOrigins origins;

    PollingEndpoint(EngineServer engines, SocketIoSettings settings, AllowedOrigins origins) {
        this.engines = engines;
        this.settings = settings;
        this.origins = origins;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::get).post("/", this::post);
    }

    private void get(ServerRequest request, ServerResponse response) throws InterruptedException {
        if (refused(request, response)) {
            return;
        }
        Optional<String> sid = request.query().first("sid").asOptional();
        if (sid.isEmpty()) {
            InetSocketAddress peer = (InetSocketAddress) request.remotePeer().address();
            Optional<EngineConnection> opened = engines.openPolling(peer.getAddress(),
                                                                    request.query().first("userId").orElse(""));
            if (opened.isEmpty()) {
                fail(response, Status.SERVICE_UNAVAILABLE_503, 3, "too many connections without a session from "
                        + "this address");
                return;
            }
            text(response, opened.get().openPacket(true));
            return;
        }
        Optional<EngineConnection> engine = engines.find(sid.get());
        if (engine.isEmpty()) {
            fail(response, Status.BAD_REQUEST_400, 1, "Session ID unknown");
            return;
        }
        engine.get().heard();
        List<String> packets;
        try {
            packets = engine.get().poll();
        } catch (IllegalStateException e) {
            engine.get().close("two polls at once");
            fail(response, Status.BAD_REQUEST_400, 3, "Bad request: a poll is waiting already");
            return;
        }
        text(response, String.join(String.valueOf(SEPARATOR), packets));
    }

    private void post(ServerRequest request, ServerResponse response) throws IOException {
        if (refused(request, response)) {
            return;
        }
        Optional<EngineConnection> engine = request.query().first("sid").asOptional().flatMap(engines::find);
        if (engine.isEmpty()) {
            fail(response, Status.BAD_REQUEST_400, 1, "Session ID unknown");
            return;
        }
        EngineConnection connection = engine.get();
        connection.heard();
        byte[] body = read(request.content().inputStream(), settings.maxPayload());
        if (body == null) {
            connection.namespaces().tooLarge();
            fail(response, Status.REQUEST_ENTITY_TOO_LARGE_413, 3, "payload larger than maxPayload ("
                    + settings.maxPayload() + " bytes)");
            return;
        }
        if (!connection.beginPost()) {
            connection.close("two posts at once");
            fail(response, Status.BAD_REQUEST_400, 3, "Bad request: a post is under way already");
            return;
        }
        try {
            String text = new String(body, StandardCharsets.UTF_8);
            int start = 0;
            while (start <= text.length() && !connection.isClosed()) {
                int end = text.indexOf(SEPARATOR, start);
                String packet = text.substring(start, end < 0 ? text.length() : end);
                if (!packet.startsWith("b")) {      // base64 binary: the old protocol has none; dropped
                    connection.receive(packet);
                }
                if (end < 0) {
                    break;
                }
                start = end + 1;
            }
        } finally {
            connection.endPost();
        }
        response.header(HeaderNames.CONTENT_TYPE, "text/html").send("ok");
    }

    /** Pages outside {@code security.allowed-origins}, and protocols or transports not served, are refused. */
    private boolean refused(ServerRequest request, ServerResponse response) {
        if (!origins.permits(request.headers().first(HeaderNames.ORIGIN).orElse(null))) {
            fail(response, Status.FORBIDDEN_403, 4, "Forbidden: origin not allowed");
            return true;
        }
        if (!"4".equals(request.query().first("EIO").orElse(""))) {
            fail(response, Status.BAD_REQUEST_400, 5, "Unsupported protocol version");
            return true;
        }
        if (!"polling".equals(request.query().first("transport").orElse(""))) {
            fail(response, Status.BAD_REQUEST_400, 0, "Transport unknown");
            return true;
        }
        return false;
    }

    /** Reads at most {@code max} bytes; null when there are more. */
    private static byte[] read(InputStream in, int max) throws IOException {
        byte[] body = in.readNBytes(max + 1);
        if (body.length > max) {
            return null;    // the rest stays unread: Helidon closes the HTTP connection rather than read it
        }
        return body;
    }

    private static void text(ServerResponse response, String body) {
        response.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8").send(body);
    }

    private static void fail(ServerResponse response, Status status, int code, String message) {
        response.status(status).header(HeaderNames.CONTENT_TYPE, "application/json")
                .send("{\"code\":" + code + ",\"message\":\"" + message + "\"}");
    }
}
