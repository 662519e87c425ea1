package dev.switchboard.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The machine a run was made on, as the report states it.
 *
 * @param cpu       model name from /proc/cpuinfo
 * @param cores     processors the JVM sees
 * @param memoryGib physical memory
 * @param os        kernel
 * @param java      the JVM running the load generator and the Java servers
 * @param node      the Node.js running the PeerJS server and the Socket.IO relay
 */
public record Machine(String cpu, int cores, long memoryGib, String os, String java, String node) {
    static Machine describe() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(),
                           Math.round(os.getTotalMemorySize() / (1024.0 * 1024 * 1024)),
                           System.getProperty("os.name") + " " + System.getProperty("os.version"),
                           System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                           nodeVersion());
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String nodeVersion() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return node.waitFor(10, TimeUnit.SECONDS) && node.exitValue() == 0 ? "Node.js " + version : "no node";
        } catch (IOException | InterruptedException e) {
            return "no node";
        }
    }

    @Override
    public String toString() {
        return cores + " cores (" + cpu + "), " + memoryGib + " GiB, " + os + ", " + java + ", " + node;
    }
}
