package dev.switchboard.loadgen.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Switchboard in cluster mode: a Redis ({@code redis-server}, no persistence) and two nodes sharing it, each a
 * packaged server in its own process. Its CPU and memory are those of all three.
 */
public final class ClusterDeployment implements Deployment {
    private static final int NODES = 2;
    private static final Pattern TOTAL_COMMANDS = Pattern.compile("total_commands_processed:(\\d+)");

    private final ServerProcess redis;
    private final int redisPort;
    private final Path commandStats;
    private final List<ServerProcess> nodes;

    private ClusterDeployment(ServerProcess redis, int redisPort, Path commandStats, List<ServerProcess> nodes) {
        this.redis = redis;
        this.redisPort = redisPort;
        this.commandStats = commandStats;
        this.nodes = nodes;
    }

    /**
     * Starts Redis, then the nodes.
     *
     * @param nodeCommand the command that starts one packaged server
     * @param directory   where the nodes run (the repository root)
     * @param env         their environment, to which the cluster settings are added
     * @param logs        where the logs go
     * @param runName     names the logs
     * @return the running cluster
     * @throws IOException          when a process did not start
     * @throws InterruptedException when interrupted while waiting for one
     */
    public static ClusterDeployment start(List<String> nodeCommand, Path directory, Map<String, String> env,
                                          Path logs, String runName) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ServerProcess redis = ServerProcess.startOnPort(
                "redis", List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no"),
                directory, logs.resolve(runName + "-redis.log"), port, "Ready to accept connections");
        List<ServerProcess> nodes = new ArrayList<>();
        try {
            Map<String, String> nodeEnv = new HashMap<>(env);
            nodeEnv.put("CLUSTER_MODE", "redis");
            nodeEnv.put("CLUSTER_REDIS_URI", "redis://127.0.0.1:" + port);
            for (int i = 1; i <= NODES; i++) {
                nodes.add(ServerProcess.start("switchboard-node-" + i, nodeCommand, directory, nodeEnv,
                                              logs.resolve(runName + "-node-" + i + ".log")));
            }
        } catch (IOException | RuntimeException e) {
            for (ServerProcess node : nodes) {
                node.close();
            }
            redis.close();
            throw e;
        }
        return new ClusterDeployment(redis, port, logs.resolve(runName + "-redis-commandstats.txt"), nodes);
    }

    @Override
    public List<Integer> ports() {
        return nodes.stream().map(ServerProcess::port).toList();
    }

    @Override
    public long cpuNanos() {
        return redis.cpuNanos() + nodes.stream().mapToLong(ServerProcess::cpuNanos).sum();
    }

    @Override
    public long compilerCpuNanos() {
        return nodes.stream().mapToLong(ServerProcess::compilerCpuNanos).sum();
    }

    @Override
    public long rssBytes() {
        return redis.rssBytes() + nodes.stream().mapToLong(ServerProcess::rssBytes).sum();
    }

    /** Redis's {@code total_commands_processed}, read with {@code redis-cli INFO stats}. */
    @Override
    public OptionalLong backendCommands() {
        Matcher total = TOTAL_COMMANDS.matcher(info("stats"));
        return total.find() ? OptionalLong.of(Long.parseLong(total.group(1))) : OptionalLong.empty();
    }

    @Override
    public OptionalLong backendCpuNanos() {
        return OptionalLong.of(redis.cpuNanos());
    }

    /** A section of Redis's {@code INFO}, or an empty string when it cannot be read. */
    private String info(String section) {
        try {
            Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(redisPort), "INFO", section)
                    .redirectErrorStream(true).start();
            String info = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return cli.waitFor(10, TimeUnit.SECONDS) && cli.exitValue() == 0 ? info : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Stops the nodes, keeps Redis's per-command counts and CPU beside the logs, then stops Redis. */
    @Override
    public void close() throws InterruptedException {
        for (ServerProcess node : nodes) {
            node.close();
        }
        try {
            // per-command counts and times, Redis's own CPU and its command total: what one crossing signal costs Redis
            Files.writeString(commandStats, info("commandstats") + info("cpu") + info("stats"));
        } catch (IOException e) {
            System.err.println("Could not write " + commandStats + ": " + e);
        }
        redis.close();
    }
}
