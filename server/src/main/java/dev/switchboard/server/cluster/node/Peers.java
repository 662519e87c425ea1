package dev.switchboard.server.cluster.node;

import dev.switchboard.cluster.v1.RemoteMember;
import dev.switchboard.server.cluster.RemotePeer;

/**
 * Room members as envelopes carry them.
 */
final class Peers {
    private Peers() {
    }

    static RemoteMember envelope(RemotePeer peer) {
        return RemoteMember.newBuilder()
                .setUserId(peer.userId())
                .setSessionId(peer.sessionId())
                .setNodeId(peer.nodeId())
                .putAllProfile(peer.profile())
                .build();
    }

    static RemotePeer peer(RemoteMember member) {
        return new RemotePeer(member.getUserId(), member.getSessionId(), member.getNodeId(), member.getProfileMap());
    }
}
