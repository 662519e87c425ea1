package dev.switchboard.server.cluster.memory;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.cluster.backend.ClusterBackend;

/**
 * A cluster backend in memory, for nodes that share one JVM: what Redis holds for a cluster of processes, here in
 * maps under one lock. Each node connects its own {@link #backend()}; the nodes then run exactly the protocol they
 * run over Redis. It can be taken down and brought back empty, as a Redis server can.
 */
public final class MemoryCluster {
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever a mailbox gets envelopes. */
    final Condition mail = lock.newCondition();
    final MemoryDirectory directory = new MemoryDirectory();
    final MemorySessions sessions = new MemorySessions();
    final MemoryNodes nodes = new MemoryNodes();
    // guarded by lock
    private boolean down;
    private boolean downAtNextClaim;

    /**
     * @return a new connection to this backend, for one node
     */
    public ClusterBackend backend() {
        return new MemoryBackend(this);
    }

    /**
     * Takes the backend down: every call fails until {@link #restart}.
     */
    public void stop() {
        lock.lock();
        try {
            down = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Brings the backend back with everything it held, as after a network partition.
     */
    public void start() {
        lock.lock();
        try {
            down = false;
            mail.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the backend down when a node next moves a session to itself ({@code claim}), before the move: the
     * failure that hits a hand-over at its most delicate point.
     */
    public void stopAtNextClaim() {
        lock.lock();
        try {
            downAtNextClaim = true;
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held, by a claim. */
    void claiming() {
        if (downAtNextClaim) {
            downAtNextClaim = false;
            down = true;
        }
    }

    /**
     * Brings the backend back, empty, as a Redis server without persistence restarts.
     */
    public void restart() {
        lock.lock();
        try {
            directory.clear();
            sessions.clear();
            nodes.clear();
            down = false;
            mail.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held: fails as an unreachable backend does. */
    void checkUp() {
        if (down) {
            throw new UncheckedIOException(new ConnectException("the in-memory cluster backend is down"));
        }
    }

    boolean up() {
        lock.lock();
        try {
            return !down;
        } finally {
            lock.unlock();
        }
    }
}
