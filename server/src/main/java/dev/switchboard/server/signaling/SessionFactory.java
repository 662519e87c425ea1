package dev.switchboard.server.signaling;

import java.util.function.Consumer;

import dev.switchboard.server.limits.BufferBudget;
import dev.switchboard.server.limits.LimitSettings;
import dev.switchboard.server.limits.RateLimiter;
import dev.switchboard.server.reliability.dedup.DedupSettings;
import dev.switchboard.server.reliability.resume.ReplayBuffer;
import dev.switchboard.server.reliability.resume.ResumeSettings;
import dev.switchboard.server.session.Outbox;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionMirror;

/**
 * Makes sessions with the server's bounds: replay buffer, duplicate detection, rate, mirror.
 */
final class SessionFactory {
    private final ResumeSettings resume;
    private final DedupSettings dedup;
    private final LimitSettings limits;
    private final BufferBudget budget;
    private final SessionMirror mirror;
    private final Consumer<Session> onBufferOverflow;

    /**
     * @param onBufferOverflow ends a session whose buffer overflowed while detached; called under its lock, so it
     *                         must only schedule the work
     */
    SessionFactory(ResumeSettings resume, DedupSettings dedup, LimitSettings limits, BufferBudget budget,
                   SessionMirror mirror, Consumer<Session> onBufferOverflow) {
        this.resume = resume;
        this.dedup = dedup;
        this.limits = limits;
        this.budget = budget;
        this.mirror = mirror;
        this.onBufferOverflow = onBufferOverflow;
    }

    /**
     * @param outbox    its first connection's outbox, or null for a session taken over detached
     * @param resumable whether its client can resume it ({@code PeerLink.resumable}); one that cannot gets a
     *                  replay buffer that keeps nothing, since nothing would ever be replayed from it
     * @return a new session
     */
    Session create(String id, String userId, String resumeToken, Outbox outbox, boolean resumable) {
        ReplayBuffer replay = resumable ? new ReplayBuffer(resume.bufferMessages(), resume.bufferBytes(), budget)
                : new ReplayBuffer(0, 0, budget);
        return new Session(id, userId, resumeToken, outbox, replay, dedup,
                           new RateLimiter(limits.rate(), limits.burst()), onBufferOverflow, mirror);
    }

    /**
     * @return where sessions keep their state for other nodes
     */
    SessionMirror mirror() {
        return mirror;
    }
}
