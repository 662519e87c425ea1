package dev.switchboard.server.transport.websocket;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;

/**
 * The benchmark's relay floor: Helidon 4.2.6 with Switchboard's own WebSocket stack (the same upgrade, frame
 * reader and frame writer), and no product logic at all: the two connections of a pair ({@code /floor?pair=id})
 * forward every message they receive to each other, as the same kind of frame, on the reader's thread. What
 * Switchboard adds per signal (decoding, sessions, rooms, dedup, numbering, acks) is what it costs over this.
 * <p>
 * It lives in the load generator, in the transport's package (it uses the transport's package-private parts), and
 * runs as its own process: {@code java -cp switchboard-server.jar:<loadgen classes> ...RelayFloor [port]}.
 */
public final class RelayFloor {
    private RelayFloor() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(args.length > 0 ? Integer.parseInt(args[0]) : 0)
                .protocolsDiscoverServices(false)
                .addConnectionSelector(Http1ConnectionSelector.builder()
                                               .config(Http1Config.create())
                                               .addUpgrader(new WebSocketUpgrader(Map.of("/floor", new Pairs())))
                                               .build())
                .build()
                .start();
        System.out.println("Relay floor listening on port " + server.port());
    }

    /** The endpoint: pairs connections by the {@code pair} query parameter. */
    private static final class Pairs implements WebSocketEndpoint {
        private final Map<String, Half> waiting = new ConcurrentHashMap<>();

        @Override
        public WebSocketHandler accept(HttpPrologue prologue, Headers headers) {
            return new Half(this, prologue.query().first("pair").orElse(""));
        }

        @Override
        public int maxMessageBytes() {
            return 64 * 1024;
        }

        /** The second connection of a pair meets the first. */
        void arrived(Half half) {
            Half other = waiting.remove(half.pair);
            if (other == null) {
                Half raced = waiting.putIfAbsent(half.pair, half);
                if (raced != null) {
                    arrived(half);
                }
                return;
            }
            other.paired(half);
            half.paired(other);
        }
    }

    /** One connection of a pair. */
    private static final class Half implements WebSocketHandler {
        private final Pairs pairs;
        private final String pair;
        private volatile WebSocketChannel channel;
        private volatile Half partner;
        /** Frames that arrived before the partner's connection was opened here (the client may see both first). */
        private final List<byte[]> early = new ArrayList<>();

        Half(Pairs pairs, String pair) {
            this.pairs = pairs;
            this.pair = pair;
        }

        @Override
        public void opened(WebSocketChannel opened) {
            channel = opened;
            pairs.arrived(this);
        }

        @Override
        public void message(byte[] bytes, int offset, int length, boolean binary) {
            byte[] frame = new byte[Frames.headerLength(length) + length];
            int start = Frames.writeHeader(frame, 0, binary ? Frames.BINARY : Frames.TEXT, length);
            System.arraycopy(bytes, offset, frame, start, length);
            Half to = partner;
            if (to == null) {
                synchronized (early) {
                    if (partner == null) {
                        early.add(frame);   // sent on as soon as the partner is here
                        return;
                    }
                }
                to = partner;
            }
            send(to, frame);
        }

        /** The pair is complete: what this half received before goes to the partner now. */
        void paired(Half other) {
            synchronized (early) {
                early.forEach(frame -> send(other, frame));
                early.clear();
                partner = other;    // last: a frame that sees it goes after the early ones
            }
        }

        private static void send(Half to, byte[] frame) {
            try {
                to.channel.send(frame, frame.length);
            } catch (UncheckedIOException gone) {
                // the partner left
            }
        }

        @Override
        public void tooLarge() {
        }

        @Override
        public void closed() {
            pairs.waiting.remove(pair, this);
        }
    }
}
