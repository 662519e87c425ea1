package dev.switchboard.loadgen.peer;

import dev.switchboard.signaling.v1.AckMode;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.IceConnectionState;
import dev.switchboard.signaling.v1.IceGatheringState;
import dev.switchboard.signaling.v1.PeerConnectionState;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.testkit.Messages;
import dev.switchboard.testkit.SignalLedger;

/**
 * A Switchboard client as the SDKs behave: hello, join, every message numbered, the highest server sequence
 * received reported back on each signal (so the server can trim its replay buffer), acks counted, bye at the end.
 * Messages and numbering come from the test kit, as the server's tests write them. Subclasses carry the frames
 * over one transport.
 */
public abstract class SwitchboardPeer extends BenchPeer {
    /** Numbering and the signals not acknowledged yet; a benchmark never resumes, so nothing is kept to re-send. */
    private final SignalLedger<Void> ledger = new SignalLedger<>();
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
        ClientMessage.Builder hello = Messages.hello(userId);
        hello.getHelloBuilder().setClientName("switchboard-loadgen").setAckMode(AckMode.ACK_MODE_RANGE);
        transmit(hello.build());
        flush();
    }

    /** One message from the server. */
    protected final void received(ServerEvent event) {
        ledger.received(event.sequence());
        switch (event.type()) {
            case SIGNAL -> listener.onSignal(this, event.signal(), Payloads.stampOf(event.signal(), event.body()));
            case ACK -> {
                ledger.acknowledged(event.first());
                listener.onAck(this, event.ok());
            }
            case ACK_RANGE -> {
                int covered = ledger.acknowledgedThrough(event.last());
                for (int i = 0; i < covered; i++) {
                    listener.onAck(this, true);
                }
            }
            case WELCOME -> {
                transmit(Messages.join(roomId).setSequence(ledger.next()).build());
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
        long sequence = ledger.next();
        transmitSignal(sequence, ledger.lastReceived(), kind, targetUserId, Payloads.body(kind, stamp));
        ledger.sent(sequence, null);
    }

    @Override
    public void reportConnected(String targetUserId) {
        ClientMessage.Builder state = Messages.state(roomId, targetUserId,
                                                     PeerConnectionState.PEER_CONNECTION_STATE_CONNECTED);
        state.getConnectionStateUpdateBuilder()
                .setIceConnectionState(IceConnectionState.ICE_CONNECTION_STATE_CONNECTED)
                .setIceGatheringState(IceGatheringState.ICE_GATHERING_STATE_COMPLETE);
        transmit(state.setSequence(ledger.next()).setLastReceivedSequence(ledger.lastReceived()).build());
    }

    @Override
    public void close() {
        closing = true;
        execute(() -> {
            transmit(Messages.bye().setSequence(ledger.next()).build());
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
        return Messages.signal(kind.switchboardKind(), roomId, target, body)
                .setSequence(sequence)
                .setLastReceivedSequence(lastReceived)
                .build();
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
