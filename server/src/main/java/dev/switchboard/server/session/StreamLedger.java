package dev.switchboard.server.session;

import java.util.List;
import java.util.Optional;

import dev.switchboard.server.reliability.resume.ReplayBuffer;
import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.signaling.v1.AckMode;
import dev.switchboard.signaling.v1.AckRange;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * What an {@link OutboundStream} knows, and what it does under its lock: the last sequence number, the replay
 * buffer, the outbox it is attached to, and the acknowledgements waiting to go as one range. Not thread-safe:
 * only its stream calls it, holding the stream's lock, so each method here is one atomic step of the stream.
 */
final class StreamLedger {
    private final ReplayBuffer replay;
    private final Runnable onBufferOverflow;
    private final SessionMirror mirror;
    private final String sessionId;
    private final AckRanges acks = new AckRanges();
    private Outbox outbox;
    private long lastSequence;
    private long attachment;
    private boolean ended;
    private boolean overflowed;

    StreamLedger(String sessionId, ReplayBuffer replay, Runnable onBufferOverflow, SessionMirror mirror) {
        this.sessionId = sessionId;
        this.replay = replay;
        this.onBufferOverflow = onBufferOverflow;
        this.mirror = mirror;
    }

    /** Numbers a message, keeps it for replay, mirrors it and queues it for the attached connection. */
    void append(ServerMessage.Builder message) {
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

    /** Sends the pending range of acknowledgements, if there is one. */
    void flushAcks() {
        AckRange range = acks.take();
        if (range != null) {
            append(ServerMessage.newBuilder().setAckRange(range));
        }
    }

    AckMode ackMode(AckMode mode) {
        flushAcks();
        return acks.mode(mode);
    }

    /**
     * @return whether a range will acknowledge the signal; a range it cannot join is sent first
     */
    boolean relayedLater(long sequence) {
        if (!acks.ranged() || sequence <= 0 || ended) {
            return false;
        }
        AckRange before = acks.add(sequence);
        if (before != null) {
            append(ServerMessage.newBuilder().setAckRange(before));
        }
        return true;
    }

    void outcomePending(long sequence) {
        acks.opened(sequence);
    }

    void outcomeKnown(long sequence) {
        acks.closed(sequence);
    }

    /** A last message (numbered, not kept for replay) and the close of the attached connection after it. */
    void closeAfter(ServerMessage.Builder last, CloseCause cause) {
        if (outbox != null) {
            outbox.closeAfter(last == null ? null : last.setSequence(++lastSequence).build(), cause);
        }
    }

    void acknowledge(long lastReceived) {
        replay.acknowledge(lastReceived);
    }

    void restore(long sentUpTo, List<ServerMessage> missed) {
        lastSequence = sentUpTo;
        missed.forEach(replay::append);
        replay.detached(sentUpTo);
    }

    /** @return the new attachment number, or -1 when not attached to {@code dropped} */
    long detach(Outbox dropped) {
        if (ended || outbox != dropped) {
            return -1;
        }
        flushAcks();
        outbox = null;
        replay.detached(lastSequence);
        return ++attachment;
    }

    /** Attaches a first connection, or none for a session taken over detached. */
    void attachFirst(Outbox first) {
        outbox = first;
    }

    Attachment attach(Outbox next, long lastReceived, ServerMessage welcome) {
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
        outbox = next;
        attachment++;
        replay.attached();
        next.offer(welcome);
        missed.forEach(next::replay);
        return new Attachment(Attachment.Outcome.RESUMED, previous);
    }

    boolean endIfStillDetached(long detachedAt) {
        return outbox == null && attachment == detachedAt && end();
    }

    /** @return true when this call ended it */
    boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        replay.clear();     // nothing will be replayed: its share of the buffer budget is free again
        return true;
    }

    Optional<StreamSnapshot> endForHandover() {
        if (ended) {
            return Optional.empty();
        }
        flushAcks();
        StreamSnapshot sent = snapshot();
        end();
        return Optional.of(sent);
    }

    /** @return the attached connection's outbox, or null */
    Outbox outbox() {
        return outbox;
    }

    boolean isAttachedTo(Outbox candidate) {
        return !ended && outbox == candidate;
    }

    StreamState state() {
        return new StreamState(ended, ended || outbox == null ? Optional.empty() : Optional.of(outbox),
                                        lastSequence, replay.size());
    }

    StreamSnapshot snapshot() {
        return new StreamSnapshot(lastSequence, replay.messages());
    }
}
