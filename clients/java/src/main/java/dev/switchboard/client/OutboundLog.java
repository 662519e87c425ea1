package dev.switchboard.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import dev.switchboard.signaling.v1.Ack;
import dev.switchboard.signaling.v1.AckRange;
import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ErrorCode;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.SignalKind;

/**
 * The numbered messages the client sent that the server has not confirmed yet, by sequence: what to re-send after a
 * resume, and the futures waiting for their replies. Confined to the client's thread.
 * <p>
 * A message is confirmed by its reply (matched by {@code request_id}, which the client sets to the sequence): an
 * {@code ack} for a signal (or an {@code ack_range} covering it), {@code room_joined}, {@code room_left},
 * {@code pong}, or an {@code error}. Messages that
 * get no reply (state reports) are confirmed by a resume's {@code last_processed_sequence}.
 */
final class OutboundLog {
    private final NavigableMap<Long, Pending> bySequence = new TreeMap<>();
    private final int capacity;

    /**
     * @param capacity most messages kept; past it the oldest is forgotten (and its request fails)
     */
    OutboundLog(int capacity) {
        this.capacity = capacity;
    }

    /**
     * @param message a numbered message just sent
     * @param reply   completed with its reply; null when none comes
     */
    void add(ClientMessage message, CompletableFuture<ServerMessage> reply) {
        bySequence.put(message.getSequence(), new Pending(message, reply));
        while (bySequence.size() > capacity) {
            Pending forgotten = bySequence.pollFirstEntry().getValue();
            if (forgotten.reply() != null) {
                forgotten.reply().completeExceptionally(new SignalingException(
                        ErrorCode.ERROR_CODE_UNSPECIFIED, "more than " + capacity + " requests await a reply"));
            }
        }
    }

    /**
     * Completes the request a server message answers, if it answers one.
     *
     * @param message a message from the server
     * @return whether it answered a request of this log
     */
    boolean answered(ServerMessage message) {
        long sequence = sequenceOf(message.getRequestId());
        Pending pending = bySequence.get(sequence);
        if (pending == null) {
            return false;
        }
        if (message.hasError() && isSignal(pending.message())) {
            return true;    // a refused signal also gets an ack with the code; the ack completes it
        }
        bySequence.remove(sequence);
        if (pending.reply() == null) {
            return true;
        }
        if (message.hasError()) {
            pending.reply().completeExceptionally(new SignalingException(message.getError().getCode(),
                                                                         message.getError().getMessage()));
        } else {
            pending.reply().complete(message);
        }
        return true;
    }

    /**
     * Completes the signals an {@code ack_range} covers: each one still pending within it was relayed.
     *
     * @param range the range
     * @return whether it answered any
     */
    boolean relayed(AckRange range) {
        var covered = bySequence.subMap(range.getFirstSequence(), true, range.getLastSequence(), true);
        List<Map.Entry<Long, Pending>> signals = covered.entrySet().stream()
                .filter(entry -> isSignal(entry.getValue().message())).toList();
        for (Map.Entry<Long, Pending> signal : signals) {
            covered.remove(signal.getKey());
            CompletableFuture<ServerMessage> reply = signal.getValue().reply();
            if (reply != null) {
                reply.complete(ServerMessage.newBuilder().setAck(Ack.newBuilder()
                        .setKind(kindOf(signal.getValue().message()))
                        .setSequence(signal.getKey())
                        .setRequestId(signal.getValue().message().getRequestId())
                        .setSuccess(true)).build());
            }
        }
        return !signals.isEmpty();
    }

    private static SignalKind kindOf(ClientMessage signal) {
        return switch (signal.getPayloadCase()) {
            case OFFER -> SignalKind.SIGNAL_KIND_OFFER;
            case ANSWER -> SignalKind.SIGNAL_KIND_ANSWER;
            case ICE_CANDIDATE -> SignalKind.SIGNAL_KIND_ICE_CANDIDATE;
            case HELLO, JOIN, LEAVE, CONNECTION_STATE_UPDATE, PING, BYE, AUTHENTICATE, MEDIA_UPDATE, PAYLOAD_NOT_SET ->
                    SignalKind.SIGNAL_KIND_UNSPECIFIED;
        };
    }

    /**
     * After a resume: forgets the messages without replies that the server processed, and lists everything it did
     * not process, in order, to send again. Replies to processed requests come in the server's replay.
     *
     * @param lastProcessed {@code welcome.last_processed_sequence}
     * @return the messages to re-send
     */
    List<ClientMessage> unprocessedAfter(long lastProcessed) {
        bySequence.headMap(lastProcessed, true).values().removeIf(pending -> pending.reply() == null);
        return bySequence.tailMap(lastProcessed, false).values().stream().map(Pending::message).toList();
    }

    /**
     * The session ended: nothing pending will be answered.
     *
     * @param cause what the waiting requests fail with
     */
    void failAll(SignalingException cause) {
        List<Pending> pending = new ArrayList<>(bySequence.values());
        bySequence.clear();
        for (Pending each : pending) {
            if (each.reply() != null) {
                each.reply().completeExceptionally(cause);
            }
        }
    }

    /**
     * @return messages awaiting confirmation
     */
    int size() {
        return bySequence.size();
    }

    /**
     * @return the sequences awaiting confirmation, oldest first
     */
    List<Long> sequences() {
        return bySequence.keySet().stream().toList();
    }

    private static boolean isSignal(ClientMessage message) {
        return kindOf(message) != SignalKind.SIGNAL_KIND_UNSPECIFIED;
    }

    private static long sequenceOf(String requestId) {
        try {
            return requestId.isEmpty() ? -1 : Long.parseLong(requestId);
        } catch (NumberFormatException notOurs) {
            return -1;
        }
    }

    private record Pending(ClientMessage message, CompletableFuture<ServerMessage> reply) {
    }
}
