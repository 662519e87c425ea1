package dev.switchboard.server.room;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.session.Session;

/**
 * One room: its members by user id.
 * <p>
 * Reads ({@link #member}) are lock-free, for the relay's hot path. Membership changes happen under the room's
 * lock together with the notifications they cause, so every member sees joins and leaves in one consistent
 * order. A room that has become empty is closed and removed; a join that races with the removal retries on a
 * fresh room.
 */
final class Room {
    private final String id;
    private final ConcurrentHashMap<String, Session> members = new ConcurrentHashMap<>();
    /** Members whose sessions live on other nodes (cluster mode); changed under the lock. */
    private final ConcurrentHashMap<String, RemotePeer> remote = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock
    private boolean closed;
    /**
     * Joins of local sessions that the cluster's directory has not answered yet. While any is pending the room
     * stays (announcements of remote members that arrive meanwhile are kept), and remote members that leave are
     * remembered in {@link #departed}, so that the directory's answer, older than their leaving, cannot bring
     * them back.
     */
    private int pendingJoins;
    private final Map<String, String> departed = new HashMap<>();

    Room(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    Session member(String userId) {
        return members.get(userId);
    }

    Collection<Session> members() {
        return members.values();
    }

    int size() {
        return members.size();
    }

    RemotePeer remote(String userId) {
        return remote.get(userId);
    }

    Collection<RemotePeer> remotes() {
        return remote.values();
    }

    /** Guarded by {@link #lock}. */
    void putRemote(RemotePeer peer) {
        remote.put(peer.userId(), peer);
    }

    /** Guarded by {@link #lock}: removes the member if it is still that session. */
    boolean removeRemote(RemotePeer peer) {
        if (pendingJoins > 0) {
            departed.put(peer.userId(), peer.sessionId());
        }
        RemotePeer known = remote.get(peer.userId());
        return known != null && known.sessionId().equals(peer.sessionId()) && remote.remove(peer.userId(), known);
    }

    /**
     * Guarded by {@link #lock}: the directory's view replaces what this node knew. A user whose session lives
     * here is a local member, whatever an outdated directory entry says.
     */
    void replaceRemotes(List<RemotePeer> peers) {
        remote.clear();
        peers.stream().filter(peer -> !members.containsKey(peer.userId())).forEach(this::putRemote);
    }

    /**
     * Guarded by {@link #lock}: adds the remote members a join's directory answer lists. What announcements told
     * this node meanwhile is newer and stays: a member known here already, or one that left since, is skipped.
     */
    void mergeRemotes(List<RemotePeer> peers) {
        peers.stream()
                .filter(peer -> !members.containsKey(peer.userId()) && !remote.containsKey(peer.userId())
                        && !peer.sessionId().equals(departed.get(peer.userId())))
                .forEach(this::putRemote);
    }

    /** Guarded by {@link #lock}: a local session's join went to the directory. */
    void joinPending() {
        pendingJoins++;
    }

    /** Guarded by {@link #lock}: the directory answered a join (admitted, refused or failed). */
    void joinSettled() {
        if (--pendingJoins == 0) {
            departed.clear();
        }
    }

    /** Guarded by {@link #lock}. */
    boolean joinsPending() {
        return pendingJoins > 0;
    }

    /** Guarded by {@link #lock}. */
    boolean closed() {
        return closed;
    }

    /** Guarded by {@link #lock}. */
    void close() {
        closed = true;
    }

    /** Guarded by {@link #lock}. */
    Session put(Session session) {
        remote.remove(session.userId());
        return members.put(session.userId(), session);
    }

    /** Guarded by {@link #lock}. */
    boolean remove(Session session) {
        return members.remove(session.userId(), session);
    }

    ReentrantLock lock() {
        return lock;
    }
}
