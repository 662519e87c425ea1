package dev.switchboard.server.cluster.node;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.switchboard.cluster.v1.MemberJoined;
import dev.switchboard.cluster.v1.MemberLeft;
import dev.switchboard.cluster.v1.MemberMoved;
import dev.switchboard.cluster.v1.NodeEnvelope;
import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.signaling.v1.PeerLeftReason;

/**
 * Membership changes told to the nodes of a room's other members: one envelope per node, however many of its
 * members are there.
 */
final class Announce {
    private final String nodeId;
    private final Outgoing outgoing;

    Announce(String nodeId, Outgoing outgoing) {
        this.nodeId = nodeId;
        this.outgoing = outgoing;
    }

    void joined(String roomId, RemotePeer member, List<RemotePeer> others) {
        for (String node : nodesOf(others)) {
            outgoing.envelope(node, NodeEnvelope.newBuilder().setMemberJoined(
                    MemberJoined.newBuilder().setRoomId(roomId).setMember(Peers.envelope(member))));
        }
    }

    void left(String roomId, RemotePeer member, PeerLeftReason reason, List<RemotePeer> remaining) {
        for (String node : nodesOf(remaining)) {
            outgoing.envelope(node, NodeEnvelope.newBuilder().setMemberLeft(
                    MemberLeft.newBuilder().setRoomId(roomId).setMember(Peers.envelope(member)).setReason(reason)));
        }
    }

    /** A session now lives here, in the rooms its record names. */
    void moved(SessionRecord session, List<RemotePeer> peers) {
        RemotePeer self = new RemotePeer(session.getUserId(), session.getSessionId(), nodeId,
                                         session.getProfileMap());
        for (String node : nodesOf(peers)) {
            outgoing.envelope(node, NodeEnvelope.newBuilder().setMemberMoved(
                    MemberMoved.newBuilder().addAllRoomIds(session.getRoomIdsList()).setMember(Peers.envelope(self))));
        }
    }

    /** The other nodes among the peers' nodes, each once. */
    private Set<String> nodesOf(List<RemotePeer> peers) {
        Set<String> nodes = new LinkedHashSet<>();
        peers.forEach(peer -> nodes.add(peer.nodeId()));
        nodes.remove(nodeId);
        return nodes;
    }
}
