package dev.switchboard.server.cluster;

import java.util.List;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * A session of this node, as the cluster stores it: what another node needs to resume it.
 *
 * @param record       who it is, its rooms, what it has processed
 * @param lastSequence the sequence of the last message it was sent
 * @param replay       the messages held for its client's replay, in order
 */
public record LocalSession(SessionRecord record, long lastSequence, List<ServerMessage> replay) {
}
