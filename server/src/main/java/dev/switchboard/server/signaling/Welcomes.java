package dev.switchboard.server.signaling;

import dev.switchboard.server.ice.IceServerList;
import dev.switchboard.server.reliability.heartbeat.HeartbeatSettings;
import dev.switchboard.server.reliability.resume.ReconnectSettings;
import dev.switchboard.server.reliability.resume.ResumeSettings;
import dev.switchboard.server.session.Session;
import dev.switchboard.signaling.v1.AckMode;
import dev.switchboard.signaling.v1.Welcome;

/**
 * The {@code welcome} of a session, new or resumed: what it is, and the policies its client should follow.
 *
 * @param heartbeat the heartbeat policy
 * @param reconnect the reconnect policy
 * @param resume    the resume window
 */
record Welcomes(HeartbeatSettings heartbeat, ReconnectSettings reconnect, ResumeSettings resume) {
    Welcome.Builder of(Session session, boolean resumed, IceServerList servers, AckMode ackMode) {
        return Welcome.newBuilder()
                .setSessionId(session.id())
                .setUserId(session.userId())
                .addAllIceServers(servers.servers())
                .setIceServersExpiresAtMs(servers.expiresAtMs())
                .setResumeToken(session.resumeToken())
                .setResumed(resumed)
                .setLastProcessedSequence(session.dedup().lastProcessedSequence())
                .setHeartbeat(heartbeat.toPolicy())
                .setReconnect(reconnect.toPolicy())
                .setResumeWindowMs((int) resume.window().toMillis())
                .setAckMode(ackMode)
                .putAllProfile(session.identity().profile());
    }
}
