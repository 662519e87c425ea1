package dev.switchboard.loadgen.server;

import io.helidon.common.buffers.BufferData;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * The benchmark's upper limit: a WebSocket endpoint on the same Helidon 4.2.6 web server as Switchboard that
 * writes every frame straight back, unparsed, with the same socket options (no Nagle delay). Started by the benchmark as its own process:
 * {@code java -cp ... dev.switchboard.loadgen.server.EchoServer [port]}.
 */
public final class EchoServer {
    private EchoServer() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(args.length > 0 ? Integer.parseInt(args[0]) : 0)
                .connectionOptions(options -> options.tcpNoDelay(true))
                .addRouting(WsRouting.builder().endpoint("/echo", EchoListener::new))
                .build()
                .start();
        System.out.println("Echo listening on port " + server.port());
    }

    private static final class EchoListener implements WsListener {
        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            session.send(text, last);
        }

        @Override
        public void onMessage(WsSession session, BufferData buffer, boolean last) {
            session.send(buffer, last);
        }
    }
}
