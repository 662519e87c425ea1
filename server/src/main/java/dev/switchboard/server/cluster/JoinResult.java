package dev.switchboard.server.cluster;

import java.util.List;

/**
 * The outcome of adding a member to a room in the cluster's directory.
 *
 * @param joined whether the member is in the room (false: the room is full)
 * @param others the room's other members on other nodes, when joined
 */
public record JoinResult(boolean joined, List<RemotePeer> others) {
}
