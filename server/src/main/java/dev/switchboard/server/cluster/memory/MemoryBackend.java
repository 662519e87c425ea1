package dev.switchboard.server.cluster.memory;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.switchboard.cluster.v1.NodeEnvelope;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.cluster.backend.ClusterBackend;
import dev.switchboard.server.cluster.backend.Directory;
import dev.switchboard.server.cluster.backend.Mailboxes;
import dev.switchboard.server.cluster.backend.NodeRegistry;
import dev.switchboard.server.cluster.backend.SessionStore;
import dev.switchboard.server.cluster.backend.StoreOp;
import dev.switchboard.server.cluster.backend.WriteBatch;

/**
 * One node's connection to a {@link MemoryCluster}: each call takes the cluster's lock briefly, as a command to
 * Redis is atomic; a reader thread hands the node its mailbox.
 */
final class MemoryBackend implements ClusterBackend, Directory, Mailboxes, SessionStore, NodeRegistry {
    private final MemoryCluster cluster;
    private volatile boolean open = true;
    private volatile Thread reader;

    MemoryBackend(MemoryCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Directory directory() {
        return this;
    }

    @Override
    public Mailboxes mailboxes() {
        return this;
    }

    @Override
    public SessionStore sessions() {
        return this;
    }

    @Override
    public NodeRegistry nodes() {
        return this;
    }

    @Override
    public CompletionStage<Void> write(WriteBatch batch) {
        List<Runnable> completions = new ArrayList<>();
        CompletionStage<Void> written = async(() -> {
            batch.envelopes().forEach(cluster.nodes::append);
            batch.store().forEach(op -> apply(op, completions));
            cluster.mail.signalAll();
            return null;
        });
        completions.forEach(Runnable::run);     // outside the cluster's lock: they may queue more work
        return written;
    }

    private void apply(StoreOp op, List<Runnable> completions) {
        switch (op) {
            case StoreOp.Opened opened -> {
                Optional<RemotePeer> replaced = cluster.sessions.opened(opened.record(), opened.owner());
                completions.add(() -> opened.replaced().complete(replaced));
            }
            case StoreOp.Appended appended -> cluster.sessions.appended(appended);
            case StoreOp.Saved saved -> cluster.sessions.saved(saved.record());
            case StoreOp.Removed removed -> cluster.sessions.removed(removed);
            case StoreOp.Held held -> cluster.sessions.held(held);
            case StoreOp.Touched touched -> {
                // nothing here expires
            }
            case StoreOp.Rewritten rewritten -> {
                cluster.sessions.rewritten(rewritten.session(), rewritten.owner());
                var record = rewritten.session().record();
                RemotePeer member = new RemotePeer(record.getUserId(), record.getSessionId(), rewritten.owner(),
                                                   record.getProfileMap());
                record.getRoomIdsList().forEach(roomId -> cluster.directory.put(roomId, member));
            }
        }
    }

    @Override
    public boolean available() {
        return open && cluster.up();
    }

    @Override
    public CompletionStage<Optional<List<RemotePeer>>> join(String roomId, RemotePeer member, int maxMembers) {
        return async(() -> cluster.directory.join(roomId, member, maxMembers));
    }

    @Override
    public CompletionStage<Optional<List<RemotePeer>>> leave(String roomId, RemotePeer member) {
        return async(() -> cluster.directory.leave(roomId, member));
    }

    @Override
    public List<RemotePeer> members(String roomId) {
        return locked(() -> cluster.directory.members(roomId));
    }

    @Override
    public List<Membership> memberships(String nodeId) {
        return locked(() -> cluster.directory.memberships(nodeId));
    }

    @Override
    public void read(String nodeId, Consumer<NodeEnvelope> handler, Consumer<RuntimeException> onFailure) {
        reader = Thread.ofPlatform().name("switchboard-cluster-reader").daemon().start(() -> {
            while (open) {
                try {
                    takeMail(nodeId).forEach(handler);
                } catch (UncheckedIOException e) {
                    onFailure.accept(e);
                    pause();
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Waits a little for envelopes, and takes them. */
    private List<NodeEnvelope> takeMail(String nodeId) throws InterruptedException {
        cluster.lock.lock();
        try {
            cluster.checkUp();
            List<NodeEnvelope> envelopes = cluster.nodes.read(nodeId);
            if (envelopes.isEmpty()) {
                cluster.mail.await(100, TimeUnit.MILLISECONDS);
            }
            return envelopes;
        } finally {
            cluster.lock.unlock();
        }
    }

    private void pause() {
        try {
            Thread.sleep(100);     // the backend is down: retry at a gentle pace, as the Redis reader does
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            open = false;
        }
    }

    @Override
    public List<NodeEnvelope> unread(String nodeId) {
        return locked(() -> cluster.nodes.unread(nodeId));
    }

    @Override
    public Optional<StoredSession> find(String resumeToken) {
        return locked(() -> cluster.sessions.find(resumeToken));
    }

    @Override
    public Optional<Map<String, List<RemotePeer>>> claim(StoredSession session, String claimer) {
        cluster.lock.lock();
        try {
            cluster.claiming();
        } finally {
            cluster.lock.unlock();
        }
        return locked(() -> cluster.sessions.claim(session, claimer, cluster.directory));
    }

    @Override
    public SentState take(String sessionId) {
        return locked(() -> cluster.sessions.take(sessionId));
    }

    @Override
    public List<String> sessionsOf(String nodeId) {
        return locked(() -> cluster.sessions.sessionsOf(nodeId));
    }

    @Override
    public boolean beat(String nodeId, Duration timeout) {
        return locked(() -> cluster.nodes.beat(nodeId, timeout));
    }

    @Override
    public Set<String> live(Duration timeout) {
        return locked(() -> cluster.nodes.live(timeout));
    }

    @Override
    public boolean beatWithin(String nodeId, Duration within) {
        return locked(() -> cluster.nodes.beatWithin(nodeId, within));
    }

    @Override
    public List<String> silent(Duration silentFor) {
        return locked(() -> cluster.nodes.silent(silentFor));
    }

    @Override
    public boolean reap(String deadNodeId, String reaper) {
        return locked(() -> cluster.nodes.reap(deadNodeId, reaper));
    }

    @Override
    public void forget(String deadNodeId) {
        locked(() -> {
            cluster.nodes.forget(deadNodeId);
            return null;
        });
    }

    /** Stops this node's use of the backend at once, as a process that dies drops its connections. */
    @Override
    public void close() {
        open = false;
        Thread running = reader;
        if (running != null) {
            running.interrupt();
        }
    }

    private <T> T locked(Supplier<T> call) {
        if (!open) {
            throw new IllegalStateException("this node's connection to the in-memory cluster is closed");
        }
        cluster.lock.lock();
        try {
            cluster.checkUp();
            return call.get();
        } finally {
            cluster.lock.unlock();
        }
    }

    private <T> CompletionStage<T> async(Supplier<T> call) {
        try {
            return CompletableFuture.completedFuture(locked(call));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
