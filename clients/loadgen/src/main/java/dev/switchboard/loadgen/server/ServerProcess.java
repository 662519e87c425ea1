package dev.switchboard.loadgen.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A server under test, in a process of its own so that its CPU time and memory can be read from {@code /proc}
 * apart from the load generator's. Its output goes to a log file; it is ready when it prints
 * {@code ... listening on port N}.
 */
public final class ServerProcess implements Deployment {
    private static final Pattern READY = Pattern.compile("listening on port (\\d+)");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
    /** USER_HZ: the unit of /proc/<pid>/stat's CPU times; 100 on every Linux this runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String name;
    private final Process process;
    private final int port;

    private ServerProcess(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /** Starts {@code command} in {@code directory} and waits until it says which port it listens on. */
    public static ServerProcess start(String name, List<String> command, Path directory, Map<String, String> env,
                                      Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(name + "-output").start(() -> copyOutput(process, log, ready));
        try {
            return new ServerProcess(name, process, ready.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException(name + " did not start (see " + log + ")", e);
        }
    }

    /**
     * Starts a server that listens on a port chosen for it and says so in its own words.
     *
     * @param name      for logs and errors
     * @param command   the command line
     * @param directory its working directory
     * @param log       where its output goes
     * @param port      the port it was told to listen on
     * @param readyText the output that says it is ready
     * @return the running server
     * @throws IOException          when it did not start
     * @throws InterruptedException when interrupted while waiting for it
     */
    public static ServerProcess startOnPort(String name, List<String> command, Path directory, Path log, int port,
                                            String readyText) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Pattern readyLine = Pattern.compile("()" + Pattern.quote(readyText));
        Thread.ofPlatform().daemon().name(name + "-output").start(() -> copyOutput(process, log, ready, readyLine));
        try {
            ready.get(60, TimeUnit.SECONDS);
            return new ServerProcess(name, process, port);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException(name + " did not start (see " + log + ")", e);
        }
    }

    private static void copyOutput(Process process, Path log, CompletableFuture<Integer> ready) {
        copyOutput(process, log, ready, READY);
    }

    /** Copies the output to the log; the first line matching {@code readyLine} completes {@code ready}. */
    private static void copyOutput(Process process, Path log, CompletableFuture<Integer> ready, Pattern readyLine) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                                                                             StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.println(line);
                Matcher matcher = readyLine.matcher(line);
                if (!ready.isDone() && matcher.find()) {
                    ready.complete(matcher.group(1).isEmpty() ? 0 : Integer.parseInt(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("its output ended before it was ready"));
    }

    public int port() {
        return port;
    }

    @Override
    public List<Integer> ports() {
        return List.of(port);
    }

    public String name() {
        return name;
    }

    /** CPU time the process has used (user + system), in nanoseconds. */
    @Override
    public long cpuNanos() {
        try {
            return cpuNanos(Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat")));
        } catch (IOException e) {
            throw new IllegalStateException(name + " is gone", e);
        }
    }

    /** CPU time of the process's JIT compiler threads (HotSpot names them "C1/C2 CompilerThreadN"), in nanoseconds. */
    @Override
    public long compilerCpuNanos() {
        long total = 0;
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path thread : threads.toList()) {
                try {
                    String stat = Files.readString(thread.resolve("stat"));
                    if (stat.contains("(C1 CompilerThre") || stat.contains("(C2 CompilerThre")) {
                        total += cpuNanos(stat);
                    }
                } catch (IOException gone) {
                    // the thread ended between the listing and the read: its time is no longer counted anywhere
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(name + " is gone", e);
        }
        return total;
    }

    /** User + system time of a {@code /proc/.../stat} line: its 14th and 15th fields, after the command's name. */
    private static long cpuNanos(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    }

    /** Resident set size, in bytes. */
    @Override
    public long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS for " + name);
        } catch (IOException e) {
            throw new IllegalStateException(name + " is gone", e);
        }
    }

    /**
     * Heap in use after a full collection (a JVM server only), in bytes: live objects, not garbage. Read from the
     * class histogram's total, which every collector reports the same way ({@code GC.heap_info} differs by collector:
     * Serial's first figure is its young generation's).
     */
    public long liveHeapBytes() throws IOException, InterruptedException {
        Matcher total = HISTOGRAM_TOTAL.matcher(jcmd("GC.class_histogram"));   // a full collection first
        if (!total.find()) {
            throw new IllegalStateException("jcmd GC.class_histogram gave no total for " + name);
        }
        return Long.parseLong(total.group(1));
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process run = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!run.waitFor(60, TimeUnit.SECONDS) || run.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
