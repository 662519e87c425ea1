package dev.switchboard.testkit;

import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.Join;
import dev.switchboard.signaling.v1.Leave;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.Ping;
import dev.switchboard.signaling.v1.SignalKind;

/**
 * Client messages as the server's tests and the load generator write them: one place that builds each kind.
 */
public final class Messages {
    private Messages() {
    }

    public static ClientMessage.Builder hello(String userId) {
        return ClientMessage.newBuilder().setHello(Hello.newBuilder().setUserId(userId).setClientName("test"));
    }

    public static ClientMessage.Builder resume(String resumeToken, long lastReceivedSequence) {
        return ClientMessage.newBuilder().setHello(Hello.newBuilder()
                                                           .setResumeToken(resumeToken)
                                                           .setLastReceivedSequence(lastReceivedSequence)
                                                           .setClientName("test"));
    }

    public static ClientMessage.Builder bye() {
        return ClientMessage.newBuilder().setBye(dev.switchboard.signaling.v1.Bye.getDefaultInstance());
    }

    public static ClientMessage.Builder ping(long clientTimeMs) {
        return ClientMessage.newBuilder().setPing(Ping.newBuilder().setClientTimeMs(clientTimeMs));
    }

    public static ClientMessage.Builder state(String roomId, String target, PeerConnectionState state) {
        return ClientMessage.newBuilder().setConnectionStateUpdate(ConnectionStateUpdate.newBuilder()
                                                                           .setRoomId(roomId)
                                                                           .setTargetUserId(target)
                                                                           .setConnectionState(state));
    }

    public static ClientMessage.Builder candidate(String roomId, String target, String candidate, String ufrag) {
        ClientMessage.Builder message = signal(SignalKind.SIGNAL_KIND_ICE_CANDIDATE, roomId, target, candidate);
        message.getIceCandidateBuilder().setUsernameFragment(ufrag);
        return message;
    }

    public static ClientMessage.Builder join(String roomId) {
        return ClientMessage.newBuilder().setJoin(Join.newBuilder().setRoomId(roomId));
    }

    public static ClientMessage.Builder leave(String roomId) {
        return ClientMessage.newBuilder().setLeave(Leave.newBuilder().setRoomId(roomId));
    }

    public static ClientMessage.Builder offer(String roomId, String target, String sdp) {
        return ClientMessage.newBuilder()
                .setOffer(Offer.newBuilder().setRoomId(roomId).setTargetUserId(target).setSdp(sdp));
    }

    public static ClientMessage.Builder answer(String roomId, String target, String sdp) {
        return ClientMessage.newBuilder()
                .setAnswer(Answer.newBuilder().setRoomId(roomId).setTargetUserId(target).setSdp(sdp));
    }

    public static ClientMessage.Builder candidate(String roomId, String target, String candidate) {
        return candidate(roomId, target, candidate, "ufrag1");
    }

    /**
     * One signal, unnumbered. A candidate carries no username fragment, so the server judges no ICE generation
     * (the load generator's candidates belong to no real session description).
     *
     * @param kind   offer, answer or ICE candidate
     * @param roomId the room
     * @param target the peer it is for
     * @param body   the SDP, or the candidate line
     * @return the message
     */
    public static ClientMessage.Builder signal(SignalKind kind, String roomId, String target, String body) {
        return switch (kind) {
            case SIGNAL_KIND_OFFER -> offer(roomId, target, body);
            case SIGNAL_KIND_ANSWER -> answer(roomId, target, body);
            case SIGNAL_KIND_ICE_CANDIDATE -> ClientMessage.newBuilder().setIceCandidate(
                    IceCandidate.newBuilder().setRoomId(roomId).setTargetUserId(target).setCandidate(body)
                            .setSdpMid("0").setSdpMlineIndex(0));
            case SIGNAL_KIND_UNSPECIFIED, UNRECOGNIZED -> throw new IllegalArgumentException(kind + " is no signal");
        };
    }

    /** A minimal SDP with an ICE username fragment, enough for the server to read its generation. */
    public static String sdp(String ufrag, String label) {
        return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=" + label + "\r\nt=0 0\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:" + ufrag + "\r\na=ice-pwd:0123456789abcdefghijkl\r\na=mid:0\r\n";
    }
}
