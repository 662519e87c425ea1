package dev.switchboard.server.session;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.limits.RateLimiter;
import dev.switchboard.server.reliability.dedup.DedupSettings;
import dev.switchboard.server.reliability.dedup.SignalDeduplicator;
import dev.switchboard.server.reliability.resume.ReplayBuffer;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * One peer's signaling session: who it is, which rooms it is in, what it has sent (duplicate detection, rate),
 * and its {@link OutboundStream}. A session outlives its connections: when one drops, the stream is detached and
 * keeps numbering and buffering messages until a new connection resumes it, or it ends.
 */
public final class Session {
    private final String id;
    private final String userId;
    private final String resumeToken;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final SignalDeduplicator dedup;
    private final OutboundStream outbound;
    private final ReentrantLock inboundLock = new ReentrantLock();
    // guarded by inboundLock
    private final RateLimiter rateLimiter;
    private final SessionMirror mirror;
    private volatile Identity identity;

    /**
     * Creates a session attached to its first connection.
     *
     * @param id               server-assigned session id
     * @param userId           the authenticated user
     * @param resumeToken      the secret that resumes it
     * @param outbox           its first connection's outbox; null for a session taken over detached
     * @param replay           its replay buffer
     * @param dedup            the bounds of its duplicate detection
     * @param rateLimiter      its inbound message budget
     * @param onBufferOverflow called (under the stream's lock: it must only schedule work) when a detached
     *                         session's buffer overflows and the session must end
     * @param mirror           keeps a copy of what it sends for other nodes ({@link SessionMirror#NONE} alone)
     */
    public Session(String id,
                   String userId,
                   String resumeToken,
                   Outbox outbox,
                   ReplayBuffer replay,
                   DedupSettings dedup,
                   RateLimiter rateLimiter,
                   Consumer<Session> onBufferOverflow,
                   SessionMirror mirror) {
        this.id = id;
        this.userId = userId;
        this.resumeToken = resumeToken;
        this.mirror = mirror;
        this.dedup = new SignalDeduplicator(dedup, () -> mirror.changed(this));
        this.rateLimiter = rateLimiter;
        this.outbound = new OutboundStream(id, outbox, replay, () -> onBufferOverflow.accept(this), mirror);
    }

    /**
     * @return the numbered stream the session sends its client
     */
    public OutboundStream outbound() {
        return outbound;
    }

    /**
     * Sends a message in the session's stream ({@link OutboundStream#send}).
     *
     * @param message the message, without a sequence number
     */
    public void send(ServerMessage.Builder message) {
        outbound.send(message);
    }

    /**
     * Sends a typed error; the session goes on.
     *
     * @param code      what went wrong
     * @param detail    readable detail
     * @param requestId the failed request's id, or empty
     */
    public void sendError(ErrorCode code, String detail, String requestId) {
        outbound.send(Errors.message(code, detail, requestId));
    }

    /**
     * @return who the session belongs to, as last proven (hello, resume, authenticate)
     */
    public Identity identity() {
        return identity;
    }

    /**
     * Records a credential proven for this session's user: what it allows and until when. The first one (hello,
     * adoption) sets the profile too; later ones keep it, since its rooms have announced it (here and on other nodes)
     * and keep showing it.
     *
     * @param proven the identity
     */
    public void authenticated(Identity proven) {
        this.identity = identity == null ? proven
                : new Identity(proven.userId(), proven.rooms(), proven.expiresAt(), identity.profile());
    }

    /**
     * Takes one message from the session's budget ({@code limits.rate}, {@code limits.burst}); call with the
     * inbound lock held.
     *
     * @return false when the session is over its rate and the message must be refused
     */
    public boolean withinRate() {
        return rateLimiter.tryAcquire(System.nanoTime());
    }

    /**
     * The lock under which the session handles one inbound message, or is resumed. Holding it while handling a
     * message makes a resume wait until that message is processed (so welcome's last processed sequence is
     * exact), and makes a message from a connection that lost the session to a resume get dropped rather than
     * overtake the messages of the new one.
     *
     * @return the lock
     */
    public ReentrantLock inboundLock() {
        return inboundLock;
    }

    /**
     * The ids of the rooms the session is in; the room registry keeps it in step with room membership.
     *
     * @return a live, read-only view
     */
    public Set<String> rooms() {
        return Collections.unmodifiableSet(rooms);
    }

    /**
     * The session is now a member of a room (called by the room registry, under the room's lock).
     *
     * @param roomId the room
     */
    public void enteredRoom(String roomId) {
        if (rooms.add(roomId)) {
            mirror.changed(this);
        }
    }

    /**
     * The session is no longer a member of a room (called by the room registry, under the room's lock).
     *
     * @param roomId the room
     */
    public void leftRoom(String roomId) {
        if (rooms.remove(roomId)) {
            mirror.changed(this);
        }
    }

    /**
     * The session now lives on another node, still a member of its rooms there: it is in no room here any more.
     * Nothing is mirrored, as the other node owns the session's stored state now.
     */
    public void handedOver() {
        rooms.clear();
    }

    /**
     * @return the transport of the connection the session is attached to; empty while it is detached or ended
     */
    public Optional<String> transport() {
        return outbound.state().attachedTo().map(Outbox::transport);
    }

    /**
     * @return whether the session has ended
     */
    public boolean ended() {
        return outbound.state().ended();
    }

    /**
     * @return the session's duplicate detection
     */
    public SignalDeduplicator dedup() {
        return dedup;
    }

    /**
     * @return server-assigned session id
     */
    public String id() {
        return id;
    }

    /**
     * @return the session's user
     */
    public String userId() {
        return userId;
    }

    /**
     * @return the secret that resumes the session
     */
    public String resumeToken() {
        return resumeToken;
    }

    @Override
    public String toString() {
        return userId + " (session " + id + ")";
    }
}
