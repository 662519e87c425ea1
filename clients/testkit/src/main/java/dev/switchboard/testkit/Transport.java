package dev.switchboard.testkit;

import java.util.Map;

import io.grpc.Metadata;

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

    /**
     * @param name  label for failure messages
     * @param port  server port on 127.0.0.1
     * @param token a bearer token carried by the connection: gRPC {@code authorization} metadata, or the
     *              WebSocket upgrade's {@code Authorization} header
     * @return a connected peer
     */
    public Peer connectWithBearer(String name, int port, String token) {
        String authorization = "Bearer " + token;
        return switch (this) {
            case GRPC -> {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                            authorization);
                yield new GrpcPeer(name, port, headers);
            }
            case WEBSOCKET_JSON -> new WebSocketPeer(name, port, false, "", Map.of("Authorization",
                                                                                             authorization));
            case WEBSOCKET_BINARY -> new WebSocketPeer(name, port, true, "", Map.of("Authorization",
                                                                                              authorization));
        };
    }
}
