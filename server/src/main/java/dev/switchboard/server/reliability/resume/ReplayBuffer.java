package dev.switchboard.server.reliability.resume;

import java.util.ArrayDeque;
import java.util.List;

import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * The messages of one session that its client may not have received yet, kept so that a resume can replay
 * them. Not thread-safe: the session calls it under its send lock.
 * <p>
 * A message stays until the client says it received it ({@link #acknowledge}). The buffer is bounded in
 * messages and bytes. While the client is connected, the oldest message makes room for a new one: it was
 * written to the socket, and most likely arrived. While the client is away, messages sent since it left are
 * never dropped to make room; {@link #append} reports the overflow instead, and the session ends.
 * <p>
 * What it keeps beyond {@link #ALLOWANCE} is charged to the server's {@link BufferBudget}, shared by all sessions.
 * When the budget is spent, a connected client's buffer gives up its own oldest messages first, and if that is not enough,
 * keeps no copy of the new one (it is still sent; a later resume that would need it fails and starts afresh);
 * a detached client's buffer reports an overflow, as when its own bounds are reached.
 */
public final class ReplayBuffer {
    /** What a session may keep without charging the budget: more than a client that acknowledges ever leaves. */
    public static final long ALLOWANCE = 16 * 1024;

    private final int messageLimit;
    private final long byteLimit;
    private final BufferBudget.Account budget;
    private final ArrayDeque<ServerMessage> messages = new ArrayDeque<>();
    private long bytes;
    /** Sequence of the last message sent while the client was connected; later ones were never written. */
    private long detachedAfter = Long.MAX_VALUE;

    /**
     * @param messageLimit most messages kept
     * @param byteLimit    most encoded bytes kept
     * @param budget       the bytes all sessions together may keep
     */
    public ReplayBuffer(int messageLimit, long byteLimit, BufferBudget budget) {
        this.messageLimit = messageLimit;
        this.byteLimit = byteLimit;
        this.budget = budget.account(ALLOWANCE);
    }

    /**
     * Keeps a message the session just sent.
     *
     * @param message the numbered message
     * @return false when the client is away and the buffer is full of messages it has never seen: the message
     *         cannot be kept and the session must end
     */
    public boolean append(ServerMessage message) {
        int size = message.getSerializedSize();
        while (!messages.isEmpty() && (messages.size() >= messageLimit || bytes + size > byteLimit)) {
            if (messages.peekFirst().getSequence() > detachedAfter) {
                return false;
            }
            drop();
        }
        if (size > byteLimit) {
            return detachedAfter == Long.MAX_VALUE;   // too large to keep at all; only fine while it is written
        }
        while (!budget.tryAdd(size)) {
            if (messages.isEmpty() || messages.peekFirst().getSequence() > detachedAfter) {
                return detachedAfter == Long.MAX_VALUE;   // sent without a copy while connected; else overflowed
            }
            drop();
        }
        messages.addLast(message);
        bytes += size;
        return true;
    }

    /**
     * Forgets every message up to a sequence the client has received.
     *
     * @param lastReceived the highest sequence the client received
     */
    public void acknowledge(long lastReceived) {
        while (!messages.isEmpty() && messages.peekFirst().getSequence() <= lastReceived) {
            drop();
        }
    }

    /**
     * The client went away after the message with this sequence was handed to its connection.
     *
     * @param lastSent the session's last sequence at that moment
     */
    public void detached(long lastSent) {
        detachedAfter = lastSent;
    }

    /**
     * The client is back; messages may make room for new ones again.
     */
    public void attached() {
        detachedAfter = Long.MAX_VALUE;
    }

    /**
     * The messages to replay to a client that received everything up to {@code lastReceived}.
     *
     * @param lastReceived the highest sequence the client received
     * @param lastSent     the session's last sequence
     * @return the messages after {@code lastReceived}, in order; null when some of them are no longer kept
     */
    public List<ServerMessage> after(long lastReceived, long lastSent) {
        if (lastReceived > lastSent) {
            return null;    // the client claims messages that were never sent
        }
        acknowledge(lastReceived);
        long expectedFirst = lastReceived + 1;
        if (lastReceived < lastSent && (messages.isEmpty() || messages.peekFirst().getSequence() != expectedFirst)) {
            return null;
        }
        return List.copyOf(messages);
    }

    /**
     * @return the sequence of the newest message kept, 0 when none is
     */
    public long lastSequence() {
        return messages.isEmpty() ? 0 : messages.peekLast().getSequence();
    }

    /**
     * @return the messages kept, oldest first
     */
    public List<ServerMessage> messages() {
        return List.copyOf(messages);
    }

    /**
     * @return messages kept
     */
    public int size() {
        return messages.size();
    }

    /**
     * @return encoded bytes kept
     */
    public long bytes() {
        return bytes;
    }

    /**
     * Lets go of every message kept, and of their share of the budget: the session has ended.
     */
    public void clear() {
        while (!messages.isEmpty()) {
            drop();
        }
    }

    private void drop() {
        int size = messages.pollFirst().getSerializedSize();
        bytes -= size;
        budget.remove(size);
    }
}
