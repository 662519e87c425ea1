package dev.switchboard.server.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of messages the server holds for all clients together ({@code limits.buffer-budget}): what sessions
 * keep for replay, and what connections have queued for writing. Each session and connection has bounds of its
 * own; this one makes them add up to what the heap can hold, however many sessions there are.
 * <p>
 * Each holder gets an {@link Account} with a small allowance it may hold without asking: a client that keeps up
 * (acknowledges what it gets, reads what it is sent) holds less than that, so it is never refused however spent
 * the budget is by others. Only bytes beyond the allowance are charged, with one atomic add, so the relay path
 * pays next to nothing. What a holder does when a charge is refused is its own business ({@code ReplayBuffer},
 * {@code Outbox}), and is documented in the README's Limits.
 */
public final class BufferBudget {
    private static final BufferBudget UNLIMITED = new BufferBudget(Long.MAX_VALUE);

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    private BufferBudget(long limit) {
        this.limit = limit;
    }

    /**
     * @param limitBytes the most bytes held at once
     * @return a budget
     */
    public static BufferBudget of(long limitBytes) {
        return new BufferBudget(limitBytes);
    }

    /**
     * @param allowance bytes the holder may hold without charging the budget
     * @return an account for one holder (a session's replay buffer, a connection's queue)
     */
    public Account account(long allowance) {
        return new Account(allowance);
    }

    /**
     * @return a budget that never refuses (tests, and holders that another budget already bounds)
     */
    public static BufferBudget unlimited() {
        return UNLIMITED;
    }

    private boolean tryReserve(long bytes) {
        if (limit == Long.MAX_VALUE) {
            return true;
        }
        if (used.addAndGet(bytes) > limit) {
            used.addAndGet(-bytes);
            refusals.incrementAndGet();
            return false;
        }
        return true;
    }

    private void forceReserve(long bytes) {
        if (limit != Long.MAX_VALUE) {
            used.addAndGet(bytes);
        }
    }

    private void release(long bytes) {
        if (limit != Long.MAX_VALUE) {
            used.addAndGet(-bytes);
        }
    }

    /**
     * @return bytes held now
     */
    public long used() {
        return used.get();
    }

    /**
     * @return the most bytes held at once
     */
    public long limit() {
        return limit;
    }

    /**
     * @return how many reservations were refused so far
     */
    public long refusals() {
        return refusals.get();
    }

    /**
     * One holder's bytes: its allowance is free, the rest is charged to the budget. Not thread-safe: its holder
     * calls it under its own lock.
     */
    public final class Account {
        private final long allowance;
        private long held;

        private Account(long allowance) {
            this.allowance = allowance;
        }

        /**
         * @param bytes bytes about to be held
         * @return false when holding them would exceed the budget; nothing changed then
         */
        public boolean tryAdd(long bytes) {
            long charge = Math.max(0, held + bytes - allowance) - Math.max(0, held - allowance);
            if (charge > 0 && !tryReserve(charge)) {
                return false;
            }
            held += bytes;
            return true;
        }

        /**
         * Holds bytes even past the budget (a connection's last message before it closes).
         *
         * @param bytes bytes about to be held
         */
        public void forceAdd(long bytes) {
            forceReserve(Math.max(0, held + bytes - allowance) - Math.max(0, held - allowance));
            held += bytes;
        }

        /**
         * @param bytes bytes no longer held
         */
        public void remove(long bytes) {
            release(Math.max(0, held - allowance) - Math.max(0, held - bytes - allowance));
            held -= bytes;
        }

        /**
         * Lets go of everything held.
         */
        public void clear() {
            remove(held);
        }

        /**
         * @return bytes held now
         */
        public long held() {
            return held;
        }
    }
}
