package dev.switchboard.server.ice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.switchboard.signaling.v1.IceServer;

/**
 * The STUN/TURN servers handed to peers. One source for every way they are served: REST, the gRPC
 * IceService, {@code welcome}, {@code ice_restart_required} and {@code ice_servers_updated}.
 * <p>
 * With TURN REST API settings each call issues a fresh credential for the user, valid for {@code turn.ttl};
 * with static TURN settings every user gets the configured username and password.
 */
public final class IceServerProvider {
    private final List<IceServer> fixed;
    private final Optional<IceSettings.RestTurn> restTurn;
    private final Clock clock;

    /**
     * @param settings the configured servers
     * @param clock    the time credentials are issued at
     */
    public IceServerProvider(IceSettings settings, Clock clock) {
        this.clock = clock;
        List<IceServer> list = new ArrayList<>();
        if (!settings.stunUrls().isEmpty()) {
            list.add(IceServer.newBuilder().addAllUrls(settings.stunUrls()).build());
        }
        if (settings.turn().orElse(null) instanceof IceSettings.StaticTurn turn) {
            list.add(IceServer.newBuilder()
                             .addAllUrls(turn.urls())
                             .setUsername(turn.username())
                             .setCredential(turn.password())
                             .build());
        }
        this.fixed = List.copyOf(list);
        this.restTurn = settings.turn()
                .filter(IceSettings.RestTurn.class::isInstance)
                .map(IceSettings.RestTurn.class::cast);
    }

    /**
     * The servers a user should use now, STUN first, in RTCConfiguration order.
     *
     * @param userId the user they are for; it becomes part of a TURN REST username (empty: none)
     * @return ICE servers, and when their credentials expire
     */
    public IceServerList serversFor(String userId) {
        if (restTurn.isEmpty()) {
            return new IceServerList(fixed, Optional.empty(), Duration.ZERO);
        }
        IceSettings.RestTurn turn = restTurn.get();
        // rounded up to the second the username carries, so a credential is never valid for less than the TTL
        Instant expiry = clock.instant().plus(turn.ttl()).plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        String username = TurnRestCredentials.username(expiry, userId);
        List<IceServer> servers = new ArrayList<>(fixed);
        servers.add(IceServer.newBuilder()
                            .addAllUrls(turn.urls())
                            .setUsername(username)
                            .setCredential(TurnRestCredentials.password(turn.signingSecret(), username))
                            .build());
        return new IceServerList(List.copyOf(servers), Optional.of(expiry), turn.ttl());
    }
}
