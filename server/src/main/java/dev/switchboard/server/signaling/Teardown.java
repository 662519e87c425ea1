package dev.switchboard.server.signaling;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.switchboard.server.cluster.Cluster;
import dev.switchboard.server.ice.IceServerRefresh;
import dev.switchboard.server.observe.LogText;
import dev.switchboard.server.reliability.resume.ResumeSettings;
import dev.switchboard.server.room.RoomRegistry;
import dev.switchboard.server.session.Errors;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.GoingAway;
import dev.switchboard.signaling.v1.PeerLeftReason;
import dev.switchboard.signaling.v1.ServerMessage;

import static java.lang.System.Logger.Level.INFO;

/**
 * How sessions end: on {@code bye}, when a newer session of the same user takes over, on an operator's request,
 * when a dropped connection is not resumed within the resume window, or when its buffer overflows while it waits;
 * and the drain that asks every client to move elsewhere. Ending a session takes it out of its rooms (its peers
 * see {@code peer_left}) and out of the registry.
 */
final class Teardown {
    private static final System.Logger LOG = System.getLogger("switchboard.session");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SessionRegistry sessions;
    private final RoomRegistry rooms;
    private final ResumeSettings resume;
    private final IceServerRefresh iceServerRefresh;
    private final ScheduledExecutorService timers;
    private final Cluster cluster;
    private volatile boolean draining;

    Teardown(SessionRegistry sessions, RoomRegistry rooms, ResumeSettings resume, IceServerRefresh iceServerRefresh,
             ScheduledExecutorService timers, Cluster cluster) {
        this.sessions = sessions;
        this.rooms = rooms;
        this.resume = resume;
        this.iceServerRefresh = iceServerRefresh;
        this.timers = timers;
        this.cluster = cluster;
    }

    /**
     * A connection is gone. Its session, unless it moved on already, waits for a resume, or ends at once when
     * resume is disabled.
     */
    void connectionClosed(CoreConnection connection, Session session) {
        long attachment = session.outbound().detach(connection.outbox());
        if (attachment < 0) {
            return;     // resumed on another connection meanwhile, or already ended
        }
        if (!resume.enabled() || !connection.link().resumable()) {
            end(session, PeerLeftReason.PEER_LEFT_REASON_DISCONNECTED, "disconnected");
            return;
        }
        LOG.log(INFO, "Session detached: " + session + " lost its " + connection.link().transport()
                + " connection; resumable for " + resume.window().toMillis() + " ms");
        expireUnlessResumed(session, attachment);
    }

    /** Ends a detached session when the resume window passes before a connection resumes it. */
    void expireUnlessResumed(Session session, long attachment) {
        timers.schedule(() -> {
            if (session.outbound().endIfStillDetached(attachment)) {
                cleanUp(session, PeerLeftReason.PEER_LEFT_REASON_TIMEOUT,
                        "not resumed within " + resume.window().toMillis() + " ms");
            }
        }, resume.window().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Called under the session's stream lock while something sends to it: the end runs on the timer thread. */
    void bufferOverflowed(Session session) {
        timers.execute(() -> end(session, PeerLeftReason.PEER_LEFT_REASON_TIMEOUT,
                                 "resume buffer overflowed while detached"));
    }

    /** Ends a session on the client's request. */
    void bye(Session session) {
        end(session, PeerLeftReason.PEER_LEFT_REASON_LEFT, "said bye");
        session.outbound().closeConnection(CloseCause.NORMAL);
    }

    /**
     * Ends a session on an operator's request: its peers see it leave ({@code REMOVED}), it gets a fatal
     * {@code REMOVED} error with the reason, and its connection closes.
     */
    void remove(Session session, String reason) {
        if (session.outbound().end()) {
            cleanUp(session, PeerLeftReason.PEER_LEFT_REASON_REMOVED, "removed by an operator: "
                    + LogText.quote(reason));
            session.outbound().sendAndClose(Errors.fatal(ErrorCode.ERROR_CODE_REMOVED, reason, ""),
                                            CloseCause.REMOVED);
        }
    }

    /** A newer session of the user took over: the older one ends as replaced. */
    void replace(Session older) {
        end(older, PeerLeftReason.PEER_LEFT_REASON_REPLACED, "replaced by a newer session");
        older.outbound().sendAndClose(Errors.fatal(ErrorCode.ERROR_CODE_SESSION_REPLACED, "a newer session of "
                + older.userId() + " took over", ""), CloseCause.REPLACED);
    }

    /** A newer session of the user opened on another node: this node's older one ends as replaced. */
    void replacedElsewhere(String userId, String newerSessionId) {
        sessions.find(userId).filter(session -> !session.id().equals(newerSessionId)).ifPresent(this::replace);
    }

    /** Ends a session, once: its rooms see it leave for the reason given. */
    void end(Session session, PeerLeftReason reason, String why) {
        if (session.outbound().end()) {
            cleanUp(session, reason, why);
        }
    }

    private void cleanUp(Session session, PeerLeftReason reason, String why) {
        for (String roomId : List.copyOf(session.rooms())) {
            rooms.leave(roomId, session, reason);
        }
        sessions.unregister(session, why);
        cluster.ended(session.id(), session.resumeToken());
        iceServerRefresh.stop(session);
        LOG.log(INFO, "Session closed: " + session + ": " + why);
    }

    /**
     * Stops opening and resuming sessions, and asks every attached client to reconnect elsewhere.
     *
     * @param reconnectSpread the clients' reconnect hints are spread at random over this long
     */
    void drain(Duration reconnectSpread) {
        draining = true;
        long spreadMs = reconnectSpread.toMillis();     // under a millisecond (PT0.0001S) is no spread at all
        for (Session session : sessions.sessions()) {
            long hint = spreadMs > 0 ? RANDOM.nextLong(spreadMs) : 0;
            session.send(ServerMessage.newBuilder().setGoingAway(
                    GoingAway.newBuilder().setReason("server shutting down").setReconnectAfterMs((int) hint)));
        }
        LOG.log(INFO, "Draining: asked " + sessions.size() + " sessions to reconnect elsewhere");
    }

    /**
     * @return whether the server is draining: no new or resumed sessions
     */
    boolean draining() {
        return draining;
    }
}
