package dev.switchboard.server.testing;

/**
 * The ways a peer can reach the server.
 */
public enum Transport {
    /** A grpc-java stub on SignalingService.Connect. */
    GRPC,
    /** A WebSocket sending proto3 JSON text frames. */
    WEBSOCKET_JSON,
    /** A WebSocket sending protobuf binary frames. */
    WEBSOCKET_BINARY;

    /**
     * @param name label for failure messages
     * @param port server (or proxy) port on 127.0.0.1
     * @return a connected peer
     */
    public Peer connect(String name, int port) {
        return switch (this) {
            case GRPC -> new GrpcPeer(name, port);
            case WEBSOCKET_JSON -> new WebSocketPeer(name, port, false);
            case WEBSOCKET_BINARY -> new WebSocketPeer(name, port, true);
        };
    }
}
