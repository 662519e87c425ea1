package dev.switchboard.server.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server in a process of its own, started the way the README starts it:
 * {@code java @server/jvm.options -jar server/target/switchboard-server.jar} from the repository root (as the
 * README runs it), on a free loopback port; or
 * started by another command (the container image's entrypoint).
 */
public final class ServerProcess implements AutoCloseable {
    /** The repository root (tests run in server/). */
    public static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Path JAR = REPOSITORY.resolve("server/target/switchboard-server.jar");
    private static final Path JVM_OPTIONS = REPOSITORY.resolve("server/jvm.options");
    private static final Pattern READY = Pattern.compile("Switchboard listening on port (\\d+)");

    private final Process process;
    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private int port;

    private ServerProcess(Map<String, String> env) throws Exception {
        this(List.of(ProcessHandle.current().info().command().orElse("java"), "@" + JVM_OPTIONS, "-jar",
                     JAR.toString()), env);
    }

    private ServerProcess(List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(REPOSITORY.toFile())
                .redirectErrorStream(true);
        builder.environment().put("SERVER_PORT", "0");
        builder.environment().put("SERVER_HOST", "127.0.0.1");
        builder.environment().putAll(env);
        process = builder.start();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    Matcher matcher = READY.matcher(line);
                    if (matcher.find()) {
                        ready.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("server exited: " + output));
        });
    }

    /**
     * Starts a server and waits until it listens.
     *
     * @param env environment variables over the repository's configuration
     * @return the running server
     * @throws Exception when it did not start
     */
    public static ServerProcess start(Map<String, String> env) throws Exception {
        ServerProcess server = new ServerProcess(env);
        server.port = server.ready.get(30, TimeUnit.SECONDS);
        return server;
    }

    /**
     * Starts a server with a command of its own and waits until it listens.
     *
     * @param command the command, which must start the server on a free loopback port
     * @return the running server
     * @throws Exception when it did not start
     */
    public static ServerProcess start(List<String> command) throws Exception {
        ServerProcess server = new ServerProcess(command, Map.of());
        server.port = server.ready.get(60, TimeUnit.SECONDS);
        return server;
    }

    /**
     * Runs a server that is expected to exit by itself (bad configuration).
     *
     * @param env environment variables over the repository's configuration
     * @return its exit code and output
     * @throws Exception when it did not exit
     */
    public static Result run(Map<String, String> env) throws Exception {
        ServerProcess server = new ServerProcess(env);
        assertTrue(server.process.waitFor(30, TimeUnit.SECONDS), "the server should have exited");
        server.process.getInputStream().close();
        return new Result(server.process.exitValue(), String.join("\n", server.output));
    }

    /**
     * @return the port it listens on
     */
    public int port() {
        return port;
    }

    /**
     * @param path a path on the server
     * @return its http URI
     */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * @return the lines it printed so far
     */
    public List<String> output() {
        return output;
    }

    /**
     * @return the process, e.g. to signal it
     */
    public Process process() {
        return process;
    }

    /**
     * Kills the process at once (SIGKILL): no drain, no clean-up, as when a machine dies.
     *
     * @throws InterruptedException when interrupted while waiting for it to go
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * How a server that exited ended.
     *
     * @param exitCode its exit code
     * @param output   what it printed
     */
    public record Result(int exitCode, String output) {
    }
}
