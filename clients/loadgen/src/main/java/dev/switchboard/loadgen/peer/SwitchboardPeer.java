package dev.switchboard.loadgen.peer;

import dev.switchboard.signaling.v1.AckMode;
import dev.switchboard.signaling.v1.Answer;
import dev.switchboard.signaling.v1.Bye;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ConnectionStateUpdate;
import dev.switchboard.signaling.v1.Hello;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.IceConnectionState;
import dev.switchboard.signaling.v1.IceGatheringState;
import dev.switchboard.signaling.v1.Join;
import dev.switchboard.signaling.v1.Offer;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * A Switchboard client as the SDKs behave: hello, join, every message numbered, the highest server sequence
 * received reported back on each signal (so the server can trim its replay buffer), acks counted, bye at the end.
 * Subclasses carry the frames over one transport.
 */
public abstract class SwitchboardPeer extends BenchPeer {
    private long sequence;
    private long lastReceived;
    /** The sequences of the signals sent and not acknowledged yet, oldest first (a ring). */
    private long[] unacked = new long[64];
    private int unackedHead;
    private int unackedCount;
    private volatile boolean closing;

    protected SwitchboardPeer(String userId, String roomId, PeerListener listener) {
        super(userId, roomId, listener, true);
    }

    /** Writes one rare message (hello, join, state, bye). */
    protected abstract void transmit(ClientMessage message);

    /** Writes one signal: the hot path, which subclasses encode as cheaply as their wire form allows. */
    protected abstract void transmitSignal(long sequence, long lastReceived, SignalKind kind, String target,
                                           String body);

    /** Closes the transport now. */
    protected abstract void disconnect();

    /** Bye has been written: what the transport does then while the server ends the session (by default nothing). */
    protected void afterBye() {
    }

    /** The transport is up: open the session. */
    protected final void connected() {
        transmit(ClientMessage.newBuilder()
                         .setHello(Hello.newBuilder().setUserId(userId).setClientName("switchboard-loadgen")
                                           .setAckMode(AckMode.ACK_MODE_RANGE))
                         .build());
        flush();
    }

    /** One message from the server. */
    protected final void received(ServerEvent event) {
        lastReceived = Math.max(lastReceived, event.sequence());
        switch (event.type()) {
            case SIGNAL -> listener.onSignal(this, event.signal(), Payloads.stampOf(event.signal(), event.body()));
            case ACK -> {
                acknowledged(event.first());
                listener.onAck(this, event.ok());
            }
            case ACK_RANGE -> {
                int covered = acknowledgedUpTo(event.last());
                for (int i = 0; i < covered; i++) {
                    listener.onAck(this, true);
                }
            }
            case WELCOME -> {
                transmit(ClientMessage.newBuilder().setSequence(++sequence)
                                 .setJoin(Join.newBuilder().setRoomId(roomId)).build());
                flush();
            }
            case ROOM_JOINED -> {
                ready.complete(null);
                if (event.ok()) {
                    partnerKnown.complete(null);
                }
            }
            case PEER_JOINED -> partnerKnown.complete(null);
            case ERROR -> listener.onProblem(this, "error: " + event.body());
            case OTHER -> {
            }
        }
    }

    /** The transport broke or closed. */
    protected final void lost(String why) {
        if (closing) {
            closed.complete(null);
        } else {
            ready.completeExceptionally(new IllegalStateException(userId + ": " + why));
            listener.onProblem(this, why);
        }
    }

    @Override
    public void send(SignalKind kind, String targetUserId, long stamp) {
        transmitSignal(++sequence, lastReceived, kind, targetUserId, Payloads.body(kind, stamp));
        if (unackedCount == unacked.length) {
            long[] larger = new long[unacked.length * 2];
            for (int i = 0; i < unackedCount; i++) {
                larger[i] = unacked[(unackedHead + i) % unacked.length];
            }
            unacked = larger;
            unackedHead = 0;
        }
        unacked[(unackedHead + unackedCount++) % unacked.length] = sequence;
    }

    /** An ack of its own answered one signal. */
    private void acknowledged(long acked) {
        for (int i = 0; i < unackedCount; i++) {
            if (unacked[(unackedHead + i) % unacked.length] == acked) {
                for (int j = i; j > 0; j--) {   // close the gap (it is nearly always the oldest: no moves)
                    unacked[(unackedHead + j) % unacked.length] = unacked[(unackedHead + j - 1) % unacked.length];
                }
                unackedHead = (unackedHead + 1) % unacked.length;
                unackedCount--;
                return;
            }
        }
    }

    /** An {@code ack_range} answered every open signal up to {@code last}; returns how many. */
    private int acknowledgedUpTo(long last) {
        int taken = 0;
        while (unackedCount > 0 && unacked[unackedHead] <= last) {
            unackedHead = (unackedHead + 1) % unacked.length;
            unackedCount--;
            taken++;
        }
        return taken;
    }

    @Override
    public void reportConnected(String targetUserId) {
        transmit(ClientMessage.newBuilder()
                         .setSequence(++sequence)
                         .setLastReceivedSequence(lastReceived)
                         .setConnectionStateUpdate(ConnectionStateUpdate.newBuilder()
                                 .setRoomId(roomId)
                                 .setTargetUserId(targetUserId)
                                 .setConnectionState(PeerConnectionState.PEER_CONNECTION_STATE_CONNECTED)
                                 .setIceConnectionState(IceConnectionState.ICE_CONNECTION_STATE_CONNECTED)
                                 .setIceGatheringState(IceGatheringState.ICE_GATHERING_STATE_COMPLETE))
                         .build());
    }

    @Override
    public void close() {
        closing = true;
        execute(() -> {
            transmit(ClientMessage.newBuilder().setSequence(++sequence).setBye(Bye.getDefaultInstance()).build());
            flush();
            afterBye();     // the server ends the session and closes the connection
        });
    }

    @Override
    public void abort() {
        execute(this::disconnect);
    }

    /** The signal as a protobuf message, for the binary wire forms. */
    static ClientMessage signal(long sequence, long lastReceived, String roomId, SignalKind kind, String target,
                                String body) {
        ClientMessage.Builder message = ClientMessage.newBuilder()
                .setSequence(sequence)
                .setLastReceivedSequence(lastReceived);
        switch (kind) {
            case OFFER -> message.setOffer(Offer.newBuilder().setRoomId(roomId).setTargetUserId(target).setSdp(body));
            case ANSWER -> message.setAnswer(Answer.newBuilder().setRoomId(roomId).setTargetUserId(target)
                                                     .setSdp(body));
            case CANDIDATE -> message.setIceCandidate(IceCandidate.newBuilder().setRoomId(roomId)
                                                              .setTargetUserId(target).setCandidate(body)
                                                              .setSdpMid("0").setSdpMlineIndex(0));
        }
        return message.build();
    }

    /** What the peer needs of a protobuf ServerMessage. */
    static ServerEvent event(ServerMessage message) {
        long sequence = message.getSequence();
        return switch (message.getPayloadCase()) {
            case OFFER -> ServerEvent.signal(sequence, SignalKind.OFFER, message.getOffer().getSdp());
            case ANSWER -> ServerEvent.signal(sequence, SignalKind.ANSWER, message.getAnswer().getSdp());
            case ICE_CANDIDATE -> ServerEvent.signal(sequence, SignalKind.CANDIDATE,
                                                     message.getIceCandidate().getCandidate());
            case ACK -> ServerEvent.ack(sequence, message.getAck().getSuccess(), message.getAck().getSequence());
            case ACK_RANGE -> ServerEvent.ackRange(sequence, message.getAckRange().getFirstSequence(),
                                                   message.getAckRange().getLastSequence());
            case WELCOME -> ServerEvent.of(sequence, ServerEvent.Type.WELCOME);
            case ROOM_JOINED -> ServerEvent.roomJoined(sequence, message.getRoomJoined().getMembersCount() > 0);
            case PEER_JOINED -> ServerEvent.of(sequence, ServerEvent.Type.PEER_JOINED);
            case ERROR -> ServerEvent.error(sequence, message.getError().getCode() + " "
                    + message.getError().getMessage());
            default -> ServerEvent.of(sequence, ServerEvent.Type.OTHER);
        };
    }
}
