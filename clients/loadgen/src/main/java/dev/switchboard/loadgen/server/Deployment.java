package dev.switchboard.loadgen.server;

import java.util.List;
import java.util.OptionalLong;

/**
 * What the load generator runs against: one server process, or several that serve together (a cluster).
 */
public interface Deployment extends AutoCloseable {
    /**
     * @return the loopback ports peers connect to; peers are spread over them in turn
     */
    List<Integer> ports();

    /**
     * @return CPU time used so far by every process of the deployment, in nanoseconds
     */
    long cpuNanos();

    /**
     * @return CPU time used so far by the JIT compiler threads of the deployment's JVM processes, in nanoseconds
     *         (0 for a server that is not a JVM)
     */
    long compilerCpuNanos();

    /**
     * @return resident memory of every process of the deployment, in bytes
     */
    long rssBytes();

    /**
     * @return commands the deployment's shared backend (the cluster's Redis) has processed so far; empty when
     *         there is none
     */
    default OptionalLong backendCommands() {
        return OptionalLong.empty();
    }

    /**
     * @return CPU time used so far by the deployment's shared backend process (the cluster's Redis), in
     *         nanoseconds; empty when there is none
     */
    default OptionalLong backendCpuNanos() {
        return OptionalLong.empty();
    }

    @Override
    void close() throws InterruptedException;
}
