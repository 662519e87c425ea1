package dev.switchboard.server.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.room.Rooms;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * The router of a node in a cluster: a member on this node is the {@link LocalRouter}'s; a member this node's
 * rooms know to live on another node is reached through the cluster (its node's stream).
 */
public final class ClusterRouter implements Router {
    private final LocalRouter local;
    private final Rooms rooms;
    private final Cluster cluster;

    /**
     * @param local   the router for members on this node
     * @param rooms   this node's rooms, which know where their remote members live
     * @param cluster how other nodes are reached
     */
    public ClusterRouter(LocalRouter local, Rooms rooms, Cluster cluster) {
        this.local = local;
        this.rooms = rooms;
        this.cluster = cluster;
    }

    @Override
    public Optional<Recipient> find(String roomId, String userId) {
        Optional<Recipient> here = local.find(roomId, userId);
        if (here.isPresent()) {
            return here;
        }
        return rooms.remoteMember(roomId, userId).map(peer -> new RemoteRecipient(peer, roomId));
    }

    @Override
    public List<Recipient> everyone(String roomId) {
        List<Recipient> everyone = new ArrayList<>(local.everyone(roomId));
        rooms.remotesIn(roomId).forEach(peer -> everyone.add(new RemoteRecipient(peer, roomId)));
        return everyone;
    }

    @Override
    public boolean deliverHere(String userId, String sessionId, ServerMessage message) {
        return local.deliverHere(userId, sessionId, message);
    }

    /** A member whose session lives on another node: delivering is appending it to that node's stream. */
    private final class RemoteRecipient implements Recipient {
        private final RemotePeer peer;
        private final String roomId;

        RemoteRecipient(RemotePeer peer, String roomId) {
            this.peer = peer;
            this.roomId = roomId;
        }

        @Override
        public CompletionStage<Void> deliver(ServerMessage.Builder message) {
            return cluster.deliver(peer, roomId, message.build());
        }

        @Override
        public boolean reachable() {
            return cluster.available();
        }

        @Override
        public String userId() {
            return peer.userId();
        }
    }
}
