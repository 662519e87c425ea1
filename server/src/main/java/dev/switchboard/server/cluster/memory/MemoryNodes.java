package dev.switchboard.server.cluster.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.switchboard.cluster.v1.NodeEnvelope;

/**
 * The nodes of a {@link MemoryCluster}: their heartbeats and mailboxes. Guarded by the cluster's lock.
 */
final class MemoryNodes {
    private final Map<String, Long> beats = new HashMap<>();
    private final Map<String, String> reapers = new HashMap<>();
    private final Map<String, List<NodeEnvelope>> mailboxes = new HashMap<>();

    boolean beat(String nodeId, Duration timeout) {
        long now = System.currentTimeMillis();
        Long previous = beats.put(nodeId, now);
        return previous != null && now - previous <= timeout.toMillis();
    }

    Set<String> live(Duration timeout) {
        long since = System.currentTimeMillis() - timeout.toMillis();
        return beats.entrySet().stream().filter(beat -> beat.getValue() >= since).map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    boolean beatWithin(String nodeId, Duration within) {
        Long beat = beats.get(nodeId);
        return beat != null && beat >= System.currentTimeMillis() - within.toMillis();
    }

    List<String> silent(Duration silentFor) {
        long before = System.currentTimeMillis() - silentFor.toMillis();
        return beats.entrySet().stream().filter(beat -> beat.getValue() < before).map(Map.Entry::getKey).toList();
    }

    boolean reap(String deadNodeId, String reaper) {
        return reapers.putIfAbsent(deadNodeId, reaper) == null;
    }

    void forget(String deadNodeId) {
        beats.remove(deadNodeId);
        mailboxes.remove(deadNodeId);
    }

    void append(String nodeId, List<NodeEnvelope> envelopes) {
        mailboxes.computeIfAbsent(nodeId, id -> new ArrayList<>()).addAll(envelopes);
    }

    /** Takes the envelopes a node has not read yet: they count as read. */
    List<NodeEnvelope> read(String nodeId) {
        List<NodeEnvelope> mailbox = mailboxes.get(nodeId);
        if (mailbox == null || mailbox.isEmpty()) {
            return List.of();
        }
        List<NodeEnvelope> taken = List.copyOf(mailbox);
        mailbox.clear();
        return taken;
    }

    List<NodeEnvelope> unread(String nodeId) {
        return List.copyOf(mailboxes.getOrDefault(nodeId, List.of()));
    }

    void clear() {
        beats.clear();
        reapers.clear();
        mailboxes.clear();
    }
}
