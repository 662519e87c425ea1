package dev.switchboard.server.ice;

import java.util.ArrayList;
import java.util.List;

import dev.switchboard.signaling.v1.IceServer;

/**
 * The STUN/TURN servers handed to peers. One source for every way they are served: REST, the gRPC
 * IceService, and {@code welcome}.
 */
public final class IceServerProvider {
    private final List<IceServer> servers;

    /**
     * @param settings the configured servers
     */
    public IceServerProvider(IceSettings settings) {
        List<IceServer> list = new ArrayList<>();
        if (!settings.stunUrls().isEmpty()) {
            list.add(IceServer.newBuilder().addAllUrls(settings.stunUrls()).build());
        }
        settings.turn().ifPresent(turn -> list.add(IceServer.newBuilder()
                                                           .addUrls(turn.url())
                                                           .setUsername(turn.username())
                                                           .setCredential(turn.password())
                                                           .build()));
        this.servers = List.copyOf(list);
    }

    /**
     * The servers a user should use now, STUN first, in RTCConfiguration order.
     *
     * @param userId the user they are for
     * @return ICE servers
     */
    public List<IceServer> serversFor(String userId) {
        return servers;
    }
}
