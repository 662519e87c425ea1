package dev.switchboard.server.routing;

import java.util.concurrent.CompletionStage;

import dev.switchboard.signaling.v1.ServerMessage;

/**
 * A room member a message can be delivered to, on this node or another.
 */
public interface Recipient {
    /**
     * Hands a message to the member's session.
     *
     * @param message the message, unnumbered
     * @return completes once the message will be delivered: at once when the member lives here (it is numbered
     *         and queued), or once another node's stream holds it; fails (with
     *         {@link dev.switchboard.server.cluster.ClusterUnavailableException}) when it could not be handed on,
     *         and then nothing was
     */
    CompletionStage<Void> deliver(ServerMessage.Builder message);

    /**
     * @return whether a delivery could succeed now (false: the member lives on another node and the cluster
     *         backend is unreachable); lets a sender be refused before anything is spent on its signal
     */
    boolean reachable();

    /**
     * @return the member's user id
     */
    String userId();
}
