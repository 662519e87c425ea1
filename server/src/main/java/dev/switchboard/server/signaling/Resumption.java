package dev.switchboard.server.signaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.switchboard.cluster.v1.SessionRecord;
import dev.switchboard.server.auth.Identity;
import dev.switchboard.server.cluster.ClaimedSession;
import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.cluster.ClusterUnavailableException;
import dev.switchboard.server.cluster.LocalSession;
import dev.switchboard.server.cluster.RemotePeer;
import dev.switchboard.server.ice.IceServerList;
import dev.switchboard.server.ice.IceServerProvider;
import dev.switchboard.server.ice.IceServerRefresh;
import dev.switchboard.server.observe.SignalingMetrics;
import dev.switchboard.server.room.RemoteMembership;
import dev.switchboard.server.session.Attachment;
import dev.switchboard.server.session.Errors;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionRecords;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.server.session.StreamSnapshot;
import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.signaling.v1.AckMode;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;

/**
 * Resumes sessions: a {@code hello} with a resume token attaches the session to the new connection and replays
 * what its client missed, whether the session lives here or on another node (which hands it over, or has died).
 * The client must prove it is the session's user before anything is taken over.
 */
final class Resumption {
    private static final System.Logger LOG = System.getLogger("switchboard.session");

    private final SessionRegistry sessions;
    private final SessionFactory factory;
    private final Teardown teardown;
    private final Welcomes welcomes;
    private final IceServerProvider iceServers;
    private final IceServerRefresh iceServerRefresh;
    private final RemoteMembership remoteMembership;
    private final Cluster cluster;
    private final SignalingMetrics metrics;

    Resumption(SessionRegistry sessions, SessionFactory factory, Teardown teardown, Welcomes welcomes,
               IceServerProvider iceServers, IceServerRefresh iceServerRefresh, RemoteMembership remoteMembership,
               Cluster cluster, SignalingMetrics metrics) {
        this.sessions = sessions;
        this.factory = factory;
        this.teardown = teardown;
        this.welcomes = welcomes;
        this.iceServers = iceServers;
        this.iceServerRefresh = iceServerRefresh;
        this.remoteMembership = remoteMembership;
        this.cluster = cluster;
        this.metrics = metrics;
    }

    void resume(CoreConnection connection, Hello hello, String requestId, Identification identification) {
        Optional<Identity> proven = Optional.empty();
        if (identification.verifies()) {
            // the resume token alone proves nothing: the connection must authenticate as the session's user
            proven = identification.identify(connection, hello, requestId);
            if (proven.isEmpty()) {
                return;
            }
        } else if (!hello.getUserId().isEmpty()) {
            proven = Optional.of(Identity.unverified(hello.getUserId()));
        }
        Session session = sessions.findByResumeToken(hello.getResumeToken()).orElse(null);
        List<ServerMessage> pending = List.of();
        if (session == null) {
            try {
                Optional<ClaimedSession> claimed = cluster.claim(hello.getResumeToken(),
                                                                 proven.map(Identity::userId).orElse(""));
                session = claimed.map(found -> adopt(found, hello.getLastReceivedSequence())).orElse(null);
                pending = claimed.map(ClaimedSession::pending).orElse(List.of());
            } catch (ClusterUnavailableException e) {
                failed(connection, requestId, ErrorCode.ERROR_CODE_CLUSTER_UNAVAILABLE, e.getMessage()
                        + "; retry the resume later");
                return;
            }
        }
        if (session == null) {
            failed(connection, requestId, ErrorCode.ERROR_CODE_RESUME_FAILED, sessions.whyEnded(hello.getResumeToken())
                    .map(why -> "the session has ended: " + why).orElse("unknown resume token"));
            return;
        }
        Identity identity = proven.orElse(session.identity());
        if (!identity.userId().equals(session.userId())) {
            failed(connection, requestId, ErrorCode.ERROR_CODE_RESUME_FAILED, "the resume token belongs to another user");
            return;
        }
        if (connection.bind(session)) {
            attach(connection, session, hello, requestId, identity, pending);
        }   // else the connection closed while we looked; the session stays as it was
    }

    private void attach(CoreConnection connection, Session session, Hello hello, String requestId,
                        Identity identity, List<ServerMessage> pending) {
        Attachment attached;
        IceServerList servers = iceServers.serversFor(session.userId());
        session.inboundLock().lock();
        try {
            // under the inbound lock, so last_processed_sequence counts a message the old connection is handling
            AckMode ackMode = session.outbound().ackMode(hello.getAckMode());
            ServerMessage welcome = ServerMessage.newBuilder().setRequestId(requestId)
                    .setWelcome(welcomes.of(session, true, servers, ackMode)).build();
            attached = session.outbound().attach(connection.outbox(), hello.getLastReceivedSequence(), welcome);
        } finally {
            session.inboundLock().unlock();
        }
        if (attached.outcome() == Attachment.Outcome.RESUMED) {
            session.authenticated(identity);
            iceServerRefresh.handedOut(session, servers);
            metrics.resumed(true);
            if (attached.previous() != null) {
                attached.previous().abort(CloseCause.RESUMED_ELSEWHERE);
            }
            pending.forEach(message -> session.send(message.toBuilder()));
            if (connection.isClosed()) {
                teardown.connectionClosed(connection, session);  // it closed between bind and attach
            }
            LOG.log(INFO, "Session resumed: " + session + " on " + connection.link().transport() + " after sequence "
                    + hello.getLastReceivedSequence() + Identification.clientLabel(hello));
            return;
        }
        connection.unbind();    // before replying: the refusal belongs to this connection, not to the session
        String why = switch (attached.outcome()) {
            case ENDED -> "the session has ended: " + sessions.whyEnded(session.resumeToken()).orElse("just now");
            case AHEAD -> "last_received_sequence " + hello.getLastReceivedSequence()
                    + " is beyond the last message sent, " + session.outbound().state().lastSequence()
                    + "; the session is unchanged";
            case OVERFLOWED -> "the session's resume buffer overflowed; it has ended";
            case GAP -> {
                teardown.end(session, PeerLeftReason.PEER_LEFT_REASON_TIMEOUT,
                             "resume buffer no longer holds what it missed");
                yield "the server no longer holds every message after sequence " + hello.getLastReceivedSequence()
                        + "; the session has ended";
            }
            case RESUMED -> throw new IllegalStateException("handled above");
        };
        failed(connection, requestId, ErrorCode.ERROR_CODE_RESUME_FAILED, why);
    }

    /**
     * Makes a session taken over from another node live here, detached and in its rooms, ready to be resumed like
     * one of this node's own. When its node died, the client may have received messages the node never stored:
     * numbering goes on after the client's last, so there is neither a gap nor a number used twice.
     */
    private Session adopt(ClaimedSession claimed, long clientReceived) {
        SessionRecord record = claimed.record();
        Session session = factory.create(record.getSessionId(), record.getUserId(), record.getResumeToken(), null,
                                         true);
        long sentUpTo = claimed.ownerDied() ? Math.max(claimed.lastSequence(), clientReceived) : claimed.lastSequence();
        session.outbound().restore(sentUpTo, claimed.replay());
        session.dedup().restore(record.getDedup());
        session.authenticated(claimed.identity());
        sessions.register(session).ifPresent(teardown::replace);
        // resumable here for a window of its own, should this resume fail (a gap, a connection lost meanwhile)
        teardown.expireUnlessResumed(session, session.outbound().detach(null));
        List<RemotePeer> peers = new ArrayList<>();
        claimed.rooms().forEach((roomId, others) -> {
            remoteMembership.adopt(roomId, session, others);
            peers.addAll(others);
        });
        cluster.moved(SessionRecords.of(session), peers);
        return session;
    }

    /**
     * Another node resumes a session of this node: it stops here without its peers noticing (no
     * {@code peer_left}): they see it live on the other node. Its connection, if any, is closed.
     *
     * @return its state at the hand-over, when it lived here
     */
    Optional<LocalSession> release(String userId, String sessionId, String claimer) {
        Optional<Session> found = sessions.find(userId).filter(session -> session.id().equals(sessionId));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Session session = found.get();
        Optional<StreamSnapshot> sent;
        SessionRecord record;
        session.inboundLock().lock();
        try {
            record = SessionRecords.of(session);   // under the inbound lock: no message is half processed
            remoteMembership.handOver(session, claimer);    // first: signals from peers here now go to the claimer
            sent = session.outbound().endForHandover();
        } finally {
            session.inboundLock().unlock();
        }
        if (sent.isEmpty()) {
            return Optional.empty();
        }
        sessions.unregister(session, "resumed on another node");
        iceServerRefresh.stop(session);
        session.outbound().closeConnection(CloseCause.RESUMED_ELSEWHERE);
        LOG.log(INFO, "Session handed over: " + session + " resumes on node " + claimer);
        return Optional.of(new LocalSession(record, sent.get().lastSequence(), sent.get().replay()));
    }

    private void failed(CoreConnection connection, String requestId, ErrorCode code, String why) {
        metrics.resumed(false);
        LOG.log(INFO, "Resume failed on " + connection.link().transport() + ": " + why);
        connection.reply(Errors.message(code, why, requestId));
    }
}
