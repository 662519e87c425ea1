package dev.switchboard.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Redis ({@code redis-server} from Debian) on a free loopback port, without persistence: a restart loses
 * everything, the hardest case for a cluster that keeps its state there.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final int port;
    private final Path log;
    private Process process;

    private RedisServer(int port) throws IOException {
        this.port = port;
        this.log = Files.createTempFile("redis", ".log");
    }

    /**
     * @return a running Redis
     */
    public static RedisServer start() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            RedisServer redis = new RedisServer(probe.getLocalPort());
            probe.close();
            redis.launch();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return its URI, for {@code cluster.redis.uri}
     */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /**
     * Kills it at once (its data is gone with it).
     */
    public void stop() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts it again on the same port, empty.
     */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(Coturn.executable("redis-server", "redis-server",
                                                       "apt-get install redis-server"),
                                     "--port", Integer.toString(port), "--bind", "127.0.0.1",
                                     "--save", "", "--appendonly", "no")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("redis-server exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());   // poll interval while it starts
            }
        }
        fail("redis-server did not listen within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    @Override
    public void close() {
        stop();
    }
}
