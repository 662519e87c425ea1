package dev.switchboard.server.routing;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.switchboard.server.room.Rooms;
import dev.switchboard.server.session.Session;
import dev.switchboard.server.session.SessionRegistry;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * The router of a node on its own: every member lives here, in this node's rooms.
 */
public final class LocalRouter implements Router {
    private static final CompletableFuture<Void> DELIVERED = CompletableFuture.completedFuture(null);

    private final Rooms rooms;
    private final SessionRegistry sessions;

    /**
     * @param rooms    this node's rooms
     * @param sessions this node's sessions
     */
    public LocalRouter(Rooms rooms, SessionRegistry sessions) {
        this.rooms = rooms;
        this.sessions = sessions;
    }

    @Override
    public Optional<Recipient> find(String roomId, String userId) {
        return rooms.member(roomId, userId).map(LocalRecipient::new);
    }

    @Override
    public List<Recipient> everyone(String roomId) {
        return rooms.sessionsIn(roomId).stream().<Recipient>map(LocalRecipient::new).toList();
    }

    @Override
    public boolean deliverHere(String userId, String sessionId, ServerMessage message) {
        Optional<Session> session = sessions.find(userId).filter(found -> found.id().equals(sessionId));
        session.ifPresent(found -> found.send(message.toBuilder()));
        return session.isPresent();
    }

    /** A member whose session lives here: delivering is queueing it. */
    private record LocalRecipient(Session session) implements Recipient {
        @Override
        public CompletionStage<Void> deliver(ServerMessage.Builder message) {
            session.send(message);
            return DELIVERED;
        }

        @Override
        public boolean reachable() {
            return true;
        }

        @Override
        public String userId() {
            return session.userId();
        }
    }
}
