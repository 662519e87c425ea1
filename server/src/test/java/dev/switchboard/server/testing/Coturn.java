package dev.switchboard.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real coturn ({@code turnserver}, Debian package {@code coturn}) on a random loopback port, without TLS, and
 * its own test client {@code turnutils_uclient} to try credentials against it. {@code .ci/run} installs the
 * package; without it these tests fail and say so.
 */
public final class Coturn implements AutoCloseable {
    /** The realm coturn runs with. */
    public static final String REALM = "switchboard.test";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path directory;
    private final Path log;
    private final int port;

    private Coturn(List<String> authentication) {
        try {
            directory = Files.createTempDirectory("coturn");
            log = directory.resolve("turnserver.log");
            port = freeLoopbackPort();
            // relay ports from a random range, so a coturn still winding down cannot hold the next one's
            int relayFrom = 50_000 + ThreadLocalRandom.current().nextInt(0, 150) * 100;
            List<String> command = new ArrayList<>(List.of(
                    executable("turnserver"), "-n",
                    "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
                    "--min-port=" + relayFrom, "--max-port=" + (relayFrom + 99),
                    "--realm=" + REALM, "--no-tls", "--no-dtls", "--no-cli",
                    // the two relays of the test client talk to each other on loopback
                    "--allow-loopback-peers",
                    "--pidfile=" + directory.resolve("turnserver.pid"), "--db=" + directory.resolve("turndb"),
                    "--log-file=stdout", "--simple-log", "--verbose"));
            command.addAll(authentication);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A coturn that takes TURN REST API credentials ({@code use-auth-secret}) signed with any of these secrets.
     *
     * @param secrets its {@code static-auth-secret} values
     * @return the running coturn
     */
    public static Coturn withSecrets(String... secrets) {
        List<String> options = new ArrayList<>(List.of("--use-auth-secret"));
        for (String secret : secrets) {
            options.add("--static-auth-secret=" + secret);
        }
        return new Coturn(options);
    }

    /**
     * A coturn with one long-term user ({@code lt-cred-mech}), as a static TURN setup has.
     *
     * @param username the user
     * @param password its password
     * @return the running coturn
     */
    public static Coturn withUser(String username, String password) {
        return new Coturn(List.of("--lt-cred-mech", "--user=" + username + ":" + password));
    }

    /**
     * @return the URL peers would use for this server over UDP
     */
    public String udpUrl() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }

    /**
     * Tries credentials the way a peer would: {@code turnutils_uclient} allocates two relays with them and sends
     * packets from one to the other through coturn.
     *
     * @param username TURN username
     * @param password TURN password
     * @return what happened
     */
    public Allocation allocate(String username, String password) {
        return allocateAll(List.of(List.of(username, password))).getFirst();
    }

    /**
     * Tries several credentials at once (each client takes a few seconds to finish).
     *
     * @param credentials username and password pairs
     * @return what happened to each, in order
     */
    public List<Allocation> allocateAll(List<List<String>> credentials) {
        try {
            List<Process> clients = new ArrayList<>();
            for (List<String> credential : credentials) {
                clients.add(new ProcessBuilder(executable("turnutils_uclient"),
                                               "-y", "-c", "-n", "2", "-m", "1", "-p", Integer.toString(port),
                                               "-u", credential.get(0), "-w", credential.get(1), "127.0.0.1")
                                    .redirectErrorStream(true)
                                    .start());
            }
            List<Allocation> results = new ArrayList<>();
            for (int i = 0; i < clients.size(); i++) {
                Process client = clients.get(i);
                if (!client.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    client.destroyForcibly();
                    fail("turnutils_uclient did not finish within " + CLIENT_TIMEOUT);
                }
                String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                results.add(new Allocation(credentials.get(i).get(0), client.exitValue(), output));
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return everything coturn logged so far
     */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether coturn refused this user as unauthorized (STUN error 401), as its log says.
     *
     * @param username the TURN username
     * @return true when coturn logged a 401 for it
     */
    public boolean refusedAsUnauthorized(String username) {
        return log().contains("user <" + username + ">: incoming packet message processed, error 401");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("turnserver exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                pollInterval();
            }
        }
        fail("turnserver did not listen on " + port + " within " + START_TIMEOUT + ":\n" + log());
    }

    private static void pollInterval() {
        try {
            Thread.sleep(20);   // between probes of a condition that has a deadline; no event to wait on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A TCP and UDP port free on loopback at this moment (coturn listens on both). */
    private static int freeLoopbackPort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
                return udp.getLocalPort();
            } catch (IOException udpTaken) {
                // try another
            }
        }
        throw new IOException("no port free for both TCP and UDP on loopback");
    }

    private static String executable(String name) {
        return executable(name, "coturn", "apt-get install coturn");
    }

    /**
     * Finds a program on the PATH, or fails the test saying how to install it.
     *
     * @param name    the program
     * @param what    what the tests need it for
     * @param install how to install it
     * @return its path
     */
    static String executable(String name, String what, String install) {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .map(directory -> Path.of(directory, name))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseGet(() -> fail(name + " is not installed: these tests need a real " + what
                                              + " (" + install + "; .ci/run installs it)"));
    }

    /**
     * The outcome of one {@code turnutils_uclient} run.
     *
     * @param username the TURN username it used
     * @param exitCode its exit code (0: allocated and relayed)
     * @param output   what it printed
     */
    public record Allocation(String username, int exitCode, String output) {
        /**
         * @return whether both relays were allocated and packets went through them: exit 0, packets received,
         *         none lost
         */
        public boolean relayed() {
            return exitCode == 0
                    && output.matches("(?s).*tot_recv_msgs=[1-9].*")
                    && output.contains("Total lost packets 0 ");
        }
    }
}
