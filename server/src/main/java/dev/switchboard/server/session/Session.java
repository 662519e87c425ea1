package dev.switchboard.server.session;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.limits.RateLimiter;
import dev.switchboard.server.reliability.dedup.SignalDeduplicator;
import dev.switchboard.server.reliability.resume.ReplayBuffer;
import dev.switchboard.signaling.v1.Error;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * One peer's signaling session: who it is, which rooms it is in, and the numbered stream of messages the
 * server sends it. A session outlives its connections: when one drops, the session is detached and keeps
 * numbering and buffering messages until a new connection resumes it, or it ends.
 * <p>
 * {@link #send} is safe from any thread. Numbering, buffering for replay and handing the message to the current
 * connection happen in one step under a lock, so messages reach the peer in exactly the order of their sequence
 * numbers, whichever threads sent them, and a resume replays exactly what came after the client's last one.
 */
public final class Session {
    private final String id;
    private final String userId;
    private final String resumeToken;
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private final SignalDeduplicator dedup;
    private final Consumer<Session> onBufferOverflow;
    private final SessionMirror mirror;
    // guarded by inboundLock
    private final RateLimiter rateLimiter;
    private volatile Identity identity;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock inboundLock = new ReentrantLock();
    // guarded by sendLock
    private final ReplayBuffer replay;
    private Outbox outbox;
    private long lastSequence;
    private long attachment;
    private boolean ended;
    private boolean overflowed;

    /**
     * Creates a session attached to its first connection.
     *
     * @param id               server-assigned session id
     * @param userId           the authenticated user
     * @param resumeToken      the secret that resumes it
     * @param outbox           its first connection's outbox
     * @param replay           its replay buffer
     * @param dedup            its duplicate detection
     * @param rateLimiter      its inbound message budget
     * @param onBufferOverflow called (under the session's lock: it must only schedule work) when a detached
     *                         session's buffer overflows and the session must end
     * @param mirror           keeps a copy of what it sends for other nodes ({@link SessionMirror#NONE} alone)
     */
    public Session(String id,
                   String userId,
                   String resumeToken,
                   Outbox outbox,
                   ReplayBuffer replay,
                   SignalDeduplicator dedup,
                   RateLimiter rateLimiter,
                   Consumer<Session> onBufferOverflow,
                   SessionMirror mirror) {
        this.id = id;
        this.userId = userId;
        this.resumeToken = resumeToken;
        this.outbox = outbox;
        this.replay = replay;
        this.dedup = dedup;
        this.onBufferOverflow = onBufferOverflow;
        this.rateLimiter = rateLimiter;
        this.mirror = mirror;
    }

    /**
     * Gives a session taken over from another node the outbound stream it had there, detached: the next
     * {@link #attach} replays from it. Call before the session is shared.
     *
     * @param sentUpTo the sequence of the last message it was sent
     * @param missed   the messages its client may not have received, in order
     */
    public void restore(long sentUpTo, List<ServerMessage> missed) {
        sendLock.lock();
        try {
            outbox = null;
            lastSequence = sentUpTo;
            for (ServerMessage message : missed) {
                replay.append(message);
            }
            replay.detached(sentUpTo);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * @return who the session belongs to, as last proven (hello, resume, authenticate)
     */
    public Identity identity() {
        return identity;
    }

    /**
     * Records a credential proven for this session's user.
     *
     * @param proven the identity
     */
    public void authenticated(Identity proven) {
        this.identity = proven;
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
     * Numbers a message, keeps it for replay and queues it for the peer's connection, if it has one.
     *
     * @param message the message, without a sequence number
     */
    public void send(ServerMessage.Builder message) {
        sendLock.lock();
        try {
            if (ended || overflowed) {
                return;
            }
            ServerMessage numbered = message.setSequence(++lastSequence).build();
            if (!replay.append(numbered)) {
                overflowed = true;
                onBufferOverflow.accept(this);
                return;
            }
            mirror.sent(this, numbered, replay.lastSequence() == numbered.getSequence() ? replay.size() : 0);
            if (outbox != null) {
                outbox.offer(numbered);
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Sends a typed error; the session goes on.
     *
     * @param code      what went wrong
     * @param detail    readable detail
     * @param requestId the failed request's id, or empty
     */
    public void sendError(ErrorCode code, String detail, String requestId) {
        send(ServerMessage.newBuilder().setRequestId(requestId).setError(error(code, detail, requestId, false)));
    }

    /**
     * An error message.
     *
     * @param code      what went wrong
     * @param detail    readable detail
     * @param requestId the failed request's id, or empty
     * @param fatal     whether the server closes the session after it
     * @return the error
     */
    public static Error.Builder error(ErrorCode code, String detail, String requestId, boolean fatal) {
        return Error.newBuilder().setCode(code).setMessage(detail).setRequestId(requestId).setFatal(fatal);
    }

    /**
     * Sends a last message, when the session has a connection, and closes that connection after it.
     *
     * @param last  final message, e.g. a fatal error
     * @param cause why
     */
    public void sendAndClose(ServerMessage.Builder last, CloseCause cause) {
        sendLock.lock();
        try {
            if (outbox != null) {
                outbox.closeAfter(last.setSequence(++lastSequence).build(), cause);
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Closes the session's connection, if it has one, after what is already queued.
     *
     * @param cause why
     */
    public void closeConnection(CloseCause cause) {
        sendLock.lock();
        try {
            if (outbox != null) {
                outbox.closeAfter(null, cause);
            }
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * The client acknowledged messages; they need no replay.
     *
     * @param lastReceived the highest sequence it received
     */
    public void acknowledge(long lastReceived) {
        sendLock.lock();
        try {
            replay.acknowledge(lastReceived);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Detaches the session from a connection that dropped, unless it has moved on to another one already.
     *
     * @param dropped the dropped connection's outbox
     * @return the attachment number to pass to {@link #endIfStillDetached}, or -1 when the session was not
     *         attached to that connection (resumed elsewhere, or ended)
     */
    public long detach(Outbox dropped) {
        sendLock.lock();
        try {
            if (ended || outbox != dropped) {
                return -1;
            }
            outbox = null;
            replay.detached(lastSequence);
            return ++attachment;
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Attaches the session to a new connection: the {@code welcome} first, then every buffered message after the
     * client's last received one, in order, then live traffic.
     *
     * @param next         the new connection's outbox
     * @param lastReceived the highest sequence the client received
     * @param welcome      the (unnumbered) welcome to send first
     * @return the outcome, with the outbox of a connection the session was still attached to
     */
    public Attachment attach(Outbox next, long lastReceived, ServerMessage welcome) {
        sendLock.lock();
        try {
            if (ended) {
                return new Attachment(Attachment.Outcome.ENDED, null);
            }
            if (overflowed) {
                return new Attachment(Attachment.Outcome.OVERFLOWED, null);
            }
            if (lastReceived > lastSequence) {
                return new Attachment(Attachment.Outcome.AHEAD, null);
            }
            List<ServerMessage> missed = replay.after(lastReceived, lastSequence);
            if (missed == null) {
                return new Attachment(Attachment.Outcome.GAP, null);
            }
            Outbox previous = outbox;
            outbox = next;
            attachment++;
            replay.attached();
            next.offer(welcome);
            for (ServerMessage message : missed) {
                next.replay(message);
            }
            return new Attachment(Attachment.Outcome.RESUMED, previous);
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Ends the session if it is still detached since {@link #detach} returned {@code attachment}.
     *
     * @param attachment the number {@link #detach} returned
     * @return true for the caller that ended it
     */
    public boolean endIfStillDetached(long attachment) {
        sendLock.lock();
        try {
            if (ended || outbox != null || this.attachment != attachment) {
                return false;
            }
            ended = true;
            replay.clear();
            return true;
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * Marks the session ended; it sends nothing more and cannot be resumed.
     *
     * @return true for the one caller that ended it
     */
    public boolean end() {
        sendLock.lock();
        try {
            if (ended) {
                return false;
            }
            ended = true;
            replay.clear();     // nothing will be replayed: its share of the buffer budget is free again
            return true;
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * @return whether the session has ended
     */
    public boolean ended() {
        sendLock.lock();
        try {
            return ended;
        } finally {
            sendLock.unlock();
        }
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
     * @param connection a connection's outbox
     * @return whether the session currently reads from and writes to that connection
     */
    public boolean isAttachedTo(Outbox connection) {
        sendLock.lock();
        try {
            return outbox == connection && !ended;
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * @return the transport of the connection the session is attached to, or empty while it is detached
     */
    public Optional<String> transport() {
        sendLock.lock();
        try {
            return outbox == null || ended ? Optional.empty() : Optional.of(outbox.transport());
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * @return what the session has sent: its last sequence and the messages held for replay, at this moment
     */
    public Outbound outbound() {
        sendLock.lock();
        try {
            return new Outbound(lastSequence, replay.messages());
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * A session's outbound stream at one moment.
     *
     * @param lastSequence the sequence of the last message sent
     * @param replay       the messages held for replay, in order
     */
    public record Outbound(long lastSequence, List<ServerMessage> replay) {
    }

    /**
     * @return messages held for replay
     */
    public int bufferedMessages() {
        sendLock.lock();
        try {
            return replay.size();
        } finally {
            sendLock.unlock();
        }
    }

    /**
     * The ids of the rooms the session is in; the room registry keeps it in step with room membership.
     *
     * @return live, thread-safe set of room ids
     */
    public Set<String> rooms() {
        return rooms;
    }

    /**
     * @return the session's duplicate detection
     */
    public SignalDeduplicator dedup() {
        return dedup;
    }

    /**
     * @return the sequence of the last message sent
     */
    public long lastSequence() {
        sendLock.lock();
        try {
            return lastSequence;
        } finally {
            sendLock.unlock();
        }
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

    /**
     * The outcome of {@link #attach}.
     *
     * @param outcome  what happened
     * @param previous the outbox of the connection the session was still attached to, which the caller should
     *                 close; null when there was none
     */
    public record Attachment(Outcome outcome, Outbox previous) {
        /** What {@link #attach} did. */
        public enum Outcome {
            /** Attached; welcome and replay are queued. */
            RESUMED,
            /** The session has ended. */
            ENDED,
            /** The session's buffer overflowed while it was detached; it is ending. */
            OVERFLOWED,
            /** The buffer no longer holds every message the client missed. */
            GAP,
            /** The client claims messages beyond the last one sent: a client bug; the session is untouched. */
            AHEAD
        }
    }
}
