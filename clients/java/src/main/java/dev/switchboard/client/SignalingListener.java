package dev.switchboard.client;

import com.google.protobuf.Message;
import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.Error;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.IceRestartFailed;
import dev.switchboard.signaling.v1.IceRestartRequired;
import dev.switchboard.signaling.v1.IceServersUpdated;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.PeerJoined;
import dev.switchboard.signaling.v1.PeerLeft;
import dev.switchboard.signaling.v1.PeerMediaChanged;
import dev.switchboard.signaling.v1.RoomJoined;

/**
 * What the server tells the application. Implement the methods you need: each message method's default hands the
 * message to {@link #onMessage}, whose own default does nothing. A listener that treats every message alike (a
 * log, a recorder, a bridge to another thread) implements {@code onMessage} alone, and so also receives the
 * kinds a later version of the protocol adds.
 * <p>
 * Calls come one at a time, in the order the server sent the messages, on the client's own thread: return quickly
 * and hand long work to another thread. Each relayed signal arrives exactly once, even across reconnects.
 */
public interface SignalingListener {

    /**
     * The client entered a room (also after a {@link ConnectionEvent#NEW_SESSION}, when it rejoins).
     *
     * @param joined the room and its other members, with the client's negotiation role towards each
     */
    default void onRoomJoined(RoomJoined joined) {
        onMessage(joined);
    }

    /**
     * @param offer an SDP offer from {@code offer.getFromUserId()}
     */
    default void onOffer(Offer offer) {
        onMessage(offer);
    }

    /**
     * @param answer an SDP answer from {@code answer.getFromUserId()}
     */
    default void onAnswer(Answer answer) {
        onMessage(answer);
    }

    /**
     * @param candidate a trickled ICE candidate from {@code candidate.getFromUserId()}
     */
    default void onIceCandidate(IceCandidate candidate) {
        onMessage(candidate);
    }

    /**
     * @param joined a peer entered one of the client's rooms, with the client's role towards it
     */
    default void onPeerJoined(PeerJoined joined) {
        onMessage(joined);
    }

    /**
     * @param left a peer left one of the client's rooms, and why
     */
    default void onPeerLeft(PeerLeft left) {
        onMessage(left);
    }

    /**
     * The connection to a peer failed: restart ICE towards it (set {@code getIceServersList()} first, then
     * {@code restartIce()} and a new offer). Only the impolite side of a pair is asked.
     *
     * @param restart which peer, which attempt, fresh ICE servers
     */
    default void onIceRestartRequired(IceRestartRequired restart) {
        onMessage(restart);
    }

    /**
     * @param failed automatic ICE restarts towards a peer are exhausted
     */
    default void onIceRestartFailed(IceRestartFailed failed) {
        onMessage(failed);
    }

    /**
     * @param changed another member turned its microphone, camera or screen share on or off
     */
    default void onPeerMediaChanged(PeerMediaChanged changed) {
        onMessage(changed);
    }

    /**
     * @param updated fresh STUN/TURN servers, before the TURN credentials handed out earlier expire
     */
    default void onIceServersUpdated(IceServersUpdated updated) {
        onMessage(updated);
    }

    /**
     * @param event  what happened to the connection
     * @param detail readable detail, for logs
     */
    default void onConnectionChanged(ConnectionEvent event, String detail) {
    }

    /**
     * An error that answers no request of the client (a request's own error fails its future instead).
     *
     * @param error the server's error
     */
    default void onError(Error error) {
        onMessage(error);
    }

    /**
     * What every message method above does unless it is implemented: one place for a listener to receive each
     * message from the server, whatever its kind.
     *
     * @param message a {@link RoomJoined}, {@link Offer}, {@link Answer}, {@link IceCandidate}, {@link PeerJoined},
     *                {@link PeerLeft}, {@link IceRestartRequired}, {@link IceRestartFailed},
     *                {@link PeerMediaChanged}, {@link IceServersUpdated} or {@link Error}
     */
    default void onMessage(Message message) {
    }
}
