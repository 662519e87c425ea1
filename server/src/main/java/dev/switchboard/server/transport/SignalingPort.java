package dev.switchboard.server.transport;

/**
 * What a transport calls: the signaling core, as far as any transport needs to know it. A transport opens one
 * {@link Connection} per client connection (a WebSocket, a gRPC stream) and feeds it; it never sees sessions,
 * rooms or any other part of the core.
 */
public interface SignalingPort {
    /**
     * Opens a connection for a new transport link; the client must now send {@code hello}.
     *
     * @param link the transport's side: how the core writes to the client
     * @return where the transport delivers what it reads
     */
    Connection open(PeerLink link);
}
