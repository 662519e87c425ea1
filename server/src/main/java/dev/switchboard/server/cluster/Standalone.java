package dev.switchboard.server.cluster;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * A cluster of one node: no other node exists, so there is nothing to share and nobody to tell.
 */
final class Standalone implements Cluster {
    static final Standalone INSTANCE = new Standalone();
    private static final CompletableFuture<JoinResult> JOINED =
            CompletableFuture.completedFuture(new JoinResult(true, List.of()));

    private final String nodeId = UUID.randomUUID().toString();

    private Standalone() {
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean shared() {
        return false;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public void start(ClusterListener listener) {
    }

    @Override
    public CompletionStage<JoinResult> join(String roomId, Member member, int maxMembers) {
        return JOINED;
    }

    @Override
    public void left(String roomId, Member member, PeerLeftReason reason) {
    }

    @Override
    public CompletionStage<Void> deliver(RemotePeer to, String roomId, ServerMessage message) {
        return CompletableFuture.failedFuture(new IllegalStateException("a standalone node has no remote peers"));
    }

    @Override
    public void sent(String sessionId, ServerMessage message, int replaySize) {
    }

    @Override
    public void opened(SessionRecord session) {
    }

    @Override
    public void saved(String sessionId, Supplier<SessionRecord> record) {
    }

    @Override
    public void ended(String sessionId, String resumeToken) {
    }

    @Override
    public Optional<ClaimedSession> claim(String resumeToken, String userId) {
        return Optional.empty();
    }

    @Override
    public void moved(SessionRecord session, List<RemotePeer> peers) {
    }

    @Override
    public void close() {
    }
}
