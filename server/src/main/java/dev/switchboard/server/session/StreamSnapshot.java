package dev.switchboard.server.session;

import java.util.List;

import dev.switchboard.signaling.v1.ServerMessage;

/**
 * What an {@link OutboundStream} has sent, for a session moving to another node.
 *
 * @param lastSequence the sequence of the last message sent
 * @param replay       the messages held for replay, in order
 */
public record StreamSnapshot(long lastSequence, List<ServerMessage> replay) {
}
