package dev.switchboard.server;

import java.util.List;

import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.signaling.Core;

/**
 * The gauges that read the core's state when scraped.
 */
final class Gauges {
    private Gauges() {
    }

    /**
     * @param metrics    where they are registered
     * @param core       what they read
     * @param cluster    the cluster, whose availability is a gauge when it is shared
     * @param transports the names of the transports wired in, one {@code switchboard_sessions} label each
     */
    static void register(SignalingMetrics metrics, Core core, Cluster cluster, List<String> transports) {
        String sessions = "Live sessions, by the transport they are attached to";
        for (String transport : transports) {
            metrics.gauge("switchboard.sessions", sessions, () -> core.sessions().sessions().stream()
                    .filter(session -> session.transport().filter(transport::equals).isPresent())
                    .count(), "transport", transport);
        }
        metrics.gauge("switchboard.sessions", sessions, () -> core.sessions().sessions().stream()
                .filter(session -> session.transport().isEmpty())
                .count(), "transport", "detached");
        metrics.gauge("switchboard.rooms", "Rooms with at least one member on this node", core.rooms()::size);
        metrics.gauge("switchboard.peers", "Room memberships on this node, over all rooms", core.rooms()::peers);
        metrics.gauge("switchboard.buffered.messages", "Messages held for replay, over all sessions",
                      () -> core.sessions().sessions().stream()
                              .mapToInt(session -> session.outbound().state().buffered())
                              .sum());
        metrics.gauge("switchboard.buffered.bytes", "Bytes of messages held for clients (replay buffers and write "
                + "queues), counted against limits.buffer-budget", core.budget()::used);
        metrics.gauge("switchboard.buffer.budget.bytes", "limits.buffer-budget: the most bytes held for clients",
                      core.budget()::limit);
        if (cluster.shared()) {
            metrics.gauge("switchboard.cluster.available", "1 while the cluster backend is reachable, else 0",
                          () -> cluster.available() ? 1 : 0);
            metrics.gauge("switchboard.cluster.mirror.pending", "Session state writes not yet in the cluster "
                    + "backend: a node killed now loses these (cluster.mirror-interval bounds how long they wait)",
                          cluster::mirrorPending);
        }
    }
}
