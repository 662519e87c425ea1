package dev.switchboard.server.session;

import java.util.Optional;

/**
 * An {@link OutboundStream} at one moment.
 *
 * @param ended        whether it has ended
 * @param attachedTo   the outbox of the connection it is attached to; empty while detached or ended
 * @param lastSequence the sequence of the last message sent
 * @param buffered     messages held for replay
 */
public record StreamState(boolean ended, Optional<Outbox> attachedTo, long lastSequence, int buffered) {
}
