package dev.switchboard.server.ice;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.switchboard.signaling.v1.GetIceServersResponse;
import dev.switchboard.signaling.v1.IceServer;

/**
 * The ICE servers handed to one peer at one moment, and when their TURN credentials expire.
 *
 * @param servers   STUN servers first, then TURN servers, in RTCConfiguration order
 * @param expiresAt when the TURN credentials stop being accepted; empty when they do not expire
 * @param ttl       their lifetime as issued ({@code turn.ttl}); zero when they do not expire
 */
public record IceServerList(List<IceServer> servers, Optional<Instant> expiresAt, Duration ttl) {

    /**
     * @return {@link #expiresAt} in Unix epoch milliseconds, 0 when the credentials do not expire (the wire form)
     */
    public long expiresAtMs() {
        return expiresAt.map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * @return the answer of {@code GET /webrtc/ice-servers} and {@code IceService.GetIceServers}
     */
    public GetIceServersResponse toResponse() {
        return GetIceServersResponse.newBuilder()
                .addAllIceServers(servers)
                .setTtl((int) ttl.toSeconds())
                .setExpiresAtMs(expiresAtMs())
                .build();
    }
}
