package dev.switchboard.server.session;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.reliability.resume.ReplayBuffer;
import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.signaling.v1.AckMode;
import dev.switchboard.signaling.v1.AckRange;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * The numbered stream of messages a session sends its client, across its connections: numbering, the replay
 * buffer, the connection it is attached to (if any), and the acknowledgements of the client's signals that wait
 * to be sent as one range.
 * <p>
 * Every method is safe from any thread, and this class is the only holder of its lock. Numbering, buffering for
 * replay and handing a message to the current connection happen in one step under that lock, so messages reach
 * the client in exactly the order of their sequence numbers, whichever threads sent them, and a resume replays
 * exactly what came after the client's last one. The lock is never held while waiting: the outbox only queues.
 */
public final class OutboundStream {
    private final ReentrantLock lock = new ReentrantLock();
    private final ReplayBuffer replay;
    private final Runnable onBufferOverflow;
    private final SessionMirror mirror;
    private final String sessionId;
    // guarded by lock
    private Outbox outbox;
    private long lastSequence;
    private long attachment;
    private boolean ended;
    private boolean overflowed;
    private final AckRanges acks = new AckRanges();

    /**
     * @param sessionId        the session's id, for the mirror
     * @param outbox           the first connection's outbox, or null for a session taken over detached
     * @param replay           the replay buffer
     * @param onBufferOverflow called under the lock (it must only schedule work) when a detached session's buffer
     *                         overflows and the session must end
     * @param mirror           keeps a copy for other nodes ({@link SessionMirror#NONE} alone)
     */
    OutboundStream(String sessionId, Outbox outbox, ReplayBuffer replay, Runnable onBufferOverflow,
                   SessionMirror mirror) {
        this.sessionId = sessionId;
        this.replay = replay;
        this.onBufferOverflow = onBufferOverflow;
        this.mirror = mirror;
        if (outbox != null) {
            attachTo(outbox);
        }
    }

    /**
     * Numbers a message, keeps it for replay and queues it for the client's connection, if it has one.
     *
     * @param message the message, without a sequence number
     */
    public void send(ServerMessage.Builder message) {
        lock.lock();
        try {
            append(message);
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held. */
    private void append(ServerMessage.Builder message) {
        if (ended || overflowed) {
            return;
        }
        ServerMessage numbered = message.setSequence(++lastSequence).build();
        if (!replay.append(numbered)) {
            overflowed = true;
            onBufferOverflow.run();
            return;
        }
        mirror.sent(sessionId, numbered, replay.lastSequence() == numbered.getSequence() ? replay.size() : 0);
        if (outbox != null) {
            outbox.offer(numbered);
        }
    }

    /**
     * Sets how the client's signals are acknowledged ({@code hello.ack_mode}, again on a resume).
     *
     * @param mode RANGE, or EACH for anything else
     * @return the mode now in force
     */
    public AckMode ackMode(AckMode mode) {
        lock.lock();
        try {
            flushAcks();
            return acks.mode(mode);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A numbered signal of the client's was relayed. In RANGE mode its acknowledgement joins the range the
     * connection's writer sends before its next write; otherwise the caller sends an {@code ack} itself.
     *
     * @param sequence the signal's client sequence, at least 1
     * @return true when the signal will be acknowledged by a range
     */
    public boolean relayedLater(long sequence) {
        Outbox kick;
        lock.lock();
        try {
            if (!acks.ranged() || sequence <= 0 || ended) {
                return false;
            }
            AckRange before = acks.add(sequence);
            if (before != null) {
                append(ServerMessage.newBuilder().setAckRange(before));
            }
            kick = outbox;
        } finally {
            lock.unlock();
        }
        if (kick != null) {
            kick.flushSoon();
        }
        return true;
    }

    /**
     * A numbered signal's outcome comes later (its delivery to another node is under way): until
     * {@link #outcomeKnown}, no range covers it.
     *
     * @param sequence the signal's client sequence
     */
    public void outcomePending(long sequence) {
        lock.lock();
        try {
            acks.opened(sequence);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A signal's outcome that {@link #outcomePending} announced has come; call before acknowledging it.
     *
     * @param sequence the signal's client sequence
     */
    public void outcomeKnown(long sequence) {
        lock.lock();
        try {
            acks.closed(sequence);
        } finally {
            lock.unlock();
        }
    }

    /** Sends the pending range of acknowledgements now: the connection's writer calls this before each write. */
    public void flushAcks() {
        lock.lock();
        try {
            AckRange range = acks.take();
            if (range != null) {
                append(ServerMessage.newBuilder().setAckRange(range));
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends a last message, when the session has a connection, and closes that connection after it.
     *
     * @param last  final message, e.g. a fatal error
     * @param cause why
     */
    public void sendAndClose(ServerMessage.Builder last, CloseCause cause) {
        lock.lock();
        try {
            if (outbox != null) {
                outbox.closeAfter(last.setSequence(++lastSequence).build(), cause);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the session's connection, if it has one, after what is already queued.
     *
     * @param cause why
     */
    public void closeConnection(CloseCause cause) {
        lock.lock();
        try {
            if (outbox != null) {
                outbox.closeAfter(null, cause);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client acknowledged messages; they need no replay.
     *
     * @param lastReceived the highest sequence it received
     */
    public void acknowledge(long lastReceived) {
        lock.lock();
        try {
            replay.acknowledge(lastReceived);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives a stream taken over from another node what it had there: the next {@link #attach} replays from it.
     * Call before the session is shared.
     *
     * @param sentUpTo the sequence of the last message it was sent
     * @param missed   the messages its client may not have received, in order
     */
    public void restore(long sentUpTo, List<ServerMessage> missed) {
        lock.lock();
        try {
            lastSequence = sentUpTo;
            missed.forEach(replay::append);
            replay.detached(sentUpTo);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Detaches the stream from a connection that dropped, unless it has moved on to another one already.
     *
     * @param dropped the dropped connection's outbox (null: a stream that was never attached here)
     * @return the attachment number to pass to {@link #endIfStillDetached}, or -1 when the stream was not attached
     *         to that connection (resumed elsewhere, or ended)
     */
    public long detach(Outbox dropped) {
        lock.lock();
        try {
            if (ended || outbox != dropped) {
                return -1;
            }
            flushAcks();
            outbox = null;
            replay.detached(lastSequence);
            return ++attachment;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Attaches the stream to a new connection: the {@code welcome} first, then every buffered message after the
     * client's last received one, in order, then live traffic.
     *
     * @param next         the new connection's outbox
     * @param lastReceived the highest sequence the client received
     * @param welcome      the (unnumbered) welcome to send first
     * @return the outcome, with the outbox of a connection the stream was still attached to
     */
    public Attachment attach(Outbox next, long lastReceived, ServerMessage welcome) {
        lock.lock();
        try {
            Attachment.Outcome refused = ended ? Attachment.Outcome.ENDED
                    : overflowed ? Attachment.Outcome.OVERFLOWED
                    : lastReceived > lastSequence ? Attachment.Outcome.AHEAD : null;
            if (refused != null) {
                return new Attachment(refused, null);
            }
            List<ServerMessage> missed = replay.after(lastReceived, lastSequence);
            if (missed == null) {
                return new Attachment(Attachment.Outcome.GAP, null);
            }
            Outbox previous = outbox;
            attachTo(next);
            attachment++;
            replay.attached();
            next.offer(welcome);
            missed.forEach(next::replay);
            return new Attachment(Attachment.Outcome.RESUMED, previous);
        } finally {
            lock.unlock();
        }
    }

    private void attachTo(Outbox next) {
        outbox = next;
        next.beforeEachWrite(this::flushAcks);
    }

    /**
     * Ends the stream if it is still detached since {@link #detach} returned {@code attachment}.
     *
     * @param attachment the number {@link #detach} returned
     * @return true for the caller that ended it
     */
    public boolean endIfStillDetached(long attachment) {
        lock.lock();
        try {
            return outbox == null && this.attachment == attachment && endLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the stream; it sends nothing more, cannot be resumed, and lets go of its replay buffer.
     *
     * @return true for the one caller that ended it
     */
    public boolean end() {
        lock.lock();
        try {
            return endLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the stream for a session handed over to another node, and says what it had sent at that moment: no
     * message sent after it is lost between the snapshot and the end.
     *
     * @return what the stream had sent; empty when it had ended already
     */
    public Optional<Snapshot> endForHandover() {
        lock.lock();
        try {
            if (ended) {
                return Optional.empty();
            }
            flushAcks();
            Snapshot sent = new Snapshot(lastSequence, replay.messages());
            endLocked();
            return Optional.of(sent);
        } finally {
            lock.unlock();
        }
    }

    private boolean endLocked() {
        if (ended) {
            return false;
        }
        ended = true;
        replay.clear();     // nothing will be replayed: its share of the buffer budget is free again
        return true;
    }

    /**
     * @param candidate a connection's outbox
     * @return whether the stream is live and attached to that connection
     */
    public boolean isAttachedTo(Outbox candidate) {
        lock.lock();
        try {
            return !ended && outbox == candidate;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return a consistent view of the stream now
     */
    public State state() {
        lock.lock();
        try {
            return new State(ended, ended || outbox == null ? Optional.empty() : Optional.of(outbox),
                             lastSequence, replay.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return what the stream has sent: its last sequence and the messages held for replay, at this moment
     */
    public Snapshot snapshot() {
        lock.lock();
        try {
            return new Snapshot(lastSequence, replay.messages());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The stream at one moment.
     *
     * @param ended        whether it has ended
     * @param attachedTo   the outbox of the connection it is attached to; empty while detached or ended
     * @param lastSequence the sequence of the last message sent
     * @param buffered     messages held for replay
     */
    public record State(boolean ended, Optional<Outbox> attachedTo, long lastSequence, int buffered) {
    }

    /**
     * What the stream has sent, for a session moving to another node.
     *
     * @param lastSequence the sequence of the last message sent
     * @param replay       the messages held for replay, in order
     */
    public record Snapshot(long lastSequence, List<ServerMessage> replay) {
    }
}
