package dev.switchboard.server.session;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import dev.switchboard.server.reliability.resume.ReplayBuffer;
import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.signaling.v1.AckMode;
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
 * What the stream knows is its {@link StreamLedger}; each method here is one of the ledger's steps under the lock.
 */
public final class OutboundStream {
    private final ReentrantLock lock = new ReentrantLock();
    private final StreamLedger ledger;  // guarded by lock

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
        this.ledger = new StreamLedger(sessionId, replay, onBufferOverflow, mirror);
        if (outbox != null) {
            ledger.attachFirst(outbox);
            outbox.beforeEachWrite(this::flushAcks);
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
            ledger.append(message);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets how the client's signals are acknowledged ({@code hello.ack_mode}, again on a resume).
     *
     * @param mode RANGE, or EACH for anything else
     * @return the mode now in force
     */
    public AckMode ackMode(AckMode mode) {
        return locked(() -> ledger.ackMode(mode));
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
            if (!ledger.relayedLater(sequence)) {
                return false;
            }
            kick = ledger.outbox();
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
        locked(() -> ledger.outcomePending(sequence));
    }

    /**
     * A signal's outcome that {@link #outcomePending} announced has come; call before acknowledging it.
     *
     * @param sequence the signal's client sequence
     */
    public void outcomeKnown(long sequence) {
        locked(() -> ledger.outcomeKnown(sequence));
    }

    /** Sends the pending range of acknowledgements now: the connection's writer calls this before each write. */
    public void flushAcks() {
        lock.lock();
        try {
            ledger.flushAcks();
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
        locked(() -> ledger.closeAfter(last, cause));
    }

    /**
     * Closes the session's connection, if it has one, after what is already queued.
     *
     * @param cause why
     */
    public void closeConnection(CloseCause cause) {
        locked(() -> ledger.closeAfter(null, cause));
    }

    /**
     * The client acknowledged messages; they need no replay.
     *
     * @param lastReceived the highest sequence it received
     */
    public void acknowledge(long lastReceived) {
        locked(() -> ledger.acknowledge(lastReceived));
    }

    /**
     * Gives a stream taken over from another node what it had there: the next {@link #attach} replays from it.
     * Call before the session is shared.
     *
     * @param sentUpTo the sequence of the last message it was sent
     * @param missed   the messages its client may not have received, in order
     */
    public void restore(long sentUpTo, List<ServerMessage> missed) {
        locked(() -> ledger.restore(sentUpTo, missed));
    }

    /**
     * Detaches the stream from a connection that dropped, unless it has moved on to another one already.
     *
     * @param dropped the dropped connection's outbox (null: a stream that was never attached here)
     * @return the attachment number to pass to {@link #endIfStillDetached}, or -1 when the stream was not attached
     *         to that connection (resumed elsewhere, or ended)
     */
    public long detach(Outbox dropped) {
        return locked(() -> ledger.detach(dropped));
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
        return locked(() -> {
            Attachment attached = ledger.attach(next, lastReceived, welcome);
            if (attached.outcome() == Attachment.Outcome.RESUMED) {
                next.beforeEachWrite(this::flushAcks);
            }
            return attached;
        });
    }

    /**
     * Ends the stream if it is still detached since {@link #detach} returned {@code attachment}.
     *
     * @param attachment the number {@link #detach} returned
     * @return true for the caller that ended it
     */
    public boolean endIfStillDetached(long attachment) {
        return locked(() -> ledger.endIfStillDetached(attachment));
    }

    /**
     * Ends the stream; it sends nothing more, cannot be resumed, and lets go of its replay buffer.
     *
     * @return true for the one caller that ended it
     */
    public boolean end() {
        return locked(ledger::end);
    }

    /**
     * Ends the stream for a session handed over to another node, and says what it had sent at that moment: no
     * message sent after it is lost between the snapshot and the end.
     *
     * @return what the stream had sent; empty when it had ended already
     */
    public Optional<StreamSnapshot> endForHandover() {
        return locked(ledger::endForHandover);
    }

    /**
     * @param candidate a connection's outbox
     * @return whether the stream is live and attached to that connection
     */
    public boolean isAttachedTo(Outbox candidate) {
        return locked(() -> ledger.isAttachedTo(candidate));
    }

    /**
     * @return a consistent view of the stream now
     */
    public StreamState state() {
        return locked(ledger::state);
    }

    /**
     * @return what the stream has sent: its last sequence and the messages held for replay, at this moment
     */
    public StreamSnapshot snapshot() {
        return locked(ledger::snapshot);
    }

    private <T> T locked(Supplier<T> step) {
        lock.lock();
        try {
            return step.get();
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable step) {
        lock.lock();
        try {
            step.run();
        } finally {
            lock.unlock();
        }
    }
}
