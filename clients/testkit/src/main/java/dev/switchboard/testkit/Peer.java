package dev.switchboard.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;

/**
 * A test peer on some transport: sends client messages, and collects what the server sends so a test can
 * await it with a deadline.
 */
public abstract class Peer implements AutoCloseable {
    @Override
    public abstract void close();

    /** How long any single expectation may take before the test fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final BlockingQueue<ServerMessage> inbox = new LinkedBlockingQueue<>();
    private final List<ServerMessage> received = new ArrayList<>();
    /** Completes with a description when the server closes the connection. */
    protected final CompletableFuture<String> closed = new CompletableFuture<>();
    private long sequence;

    /**
     * Sends one message as the client wrote it.
     *
     * @param message the message
     */
    public abstract void send(ClientMessage message);

    /**
     * Drops the connection without any closing handshake.
     */
    public abstract void abort();

    /**
     * Sends a message with the next client sequence number.
     *
     * @param message the message, sequence unset
     * @return the sequence number used
     */
    public long sendNumbered(ClientMessage.Builder message) {
        long next = ++sequence;
        send(message.setSequence(next).build());
        return next;
    }

    /**
     * Says hello and waits for the welcome.
     *
     * @param userId who to be
     * @return the welcome
     */
    public ServerMessage hello(String userId) {
        send(Messages.hello(userId).build());
        return next(ServerMessage.PayloadCase.WELCOME);
    }

    /**
     * Joins a room and waits until the server confirms.
     *
     * @param roomId the room
     * @return the room_joined message
     */
    public ServerMessage join(String roomId) {
        send(Messages.join(roomId).build());
        return next(ServerMessage.PayloadCase.ROOM_JOINED);
    }

    /**
     * Opens two sessions and puts both in a room; returns once the first has seen the second join.
     *
     * @param room        the room
     * @param first       joins first
     * @param firstUser   its user id
     * @param second      joins second
     * @param secondUser  its user id
     * @return the first's welcome (its resume token, for tests that resume it)
     */
    public static ServerMessage meet(String room, Peer first, String firstUser, Peer second, String secondUser) {
        ServerMessage welcome = first.hello(firstUser);
        second.hello(secondUser);
        first.join(room);
        second.join(room);
        first.next(ServerMessage.PayloadCase.PEER_JOINED);
        return welcome;
    }

    /** Transports call this for each message the server sent. */
    protected void deliver(ServerMessage message) {
        inbox.add(message);
    }

    /**
     * The next message from the server, whatever it is.
     *
     * @return the message
     */
    public ServerMessage next() {
        try {
            ServerMessage message = inbox.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError(this + ": no message from the server within " + TIMEOUT
                                                 + "; received so far: " + received);
            }
            received.add(message);
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * The next message from the server, if one arrives in time.
     *
     * @param wait how long to wait
     * @return the message, or null
     */
    public ServerMessage poll(Duration wait) {
        try {
            ServerMessage message = inbox.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (message != null) {
                received.add(message);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Takes whatever the server has sent so far, without waiting.
     *
     * @return the messages, possibly none
     */
    public List<ServerMessage> drain() {
        List<ServerMessage> messages = new ArrayList<>();
        inbox.drainTo(messages);
        received.addAll(messages);
        return messages;
    }

    /**
     * Skips messages until one has the given payload, failing on timeout.
     *
     * @param payload the payload wanted
     * @return that message
     */
    public ServerMessage next(ServerMessage.PayloadCase payload) {
        return next(m -> m.getPayloadCase() == payload, payload.name());
    }

    /**
     * Skips messages until one matches.
     *
     * @param wanted      the condition
     * @param description what is awaited, for the failure message
     * @return the matching message
     */
    public ServerMessage next(Predicate<ServerMessage> wanted, String description) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            ServerMessage message = next();
            if (wanted.test(message)) {
                return message;
            }
        }
        throw new AssertionError(this + ": no " + description + " within " + TIMEOUT + "; received " + received);
    }

    /**
     * Waits until the server closes the connection.
     *
     * @return how it closed (status or close code and reason)
     */
    public String awaitClosed() {
        try {
            return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(this + ": the server did not close the connection within " + TIMEOUT, e);
        }
    }

    /**
     * @return whether the server has closed the connection
     */
    public boolean isClosed() {
        return closed.isDone();
    }

    /**
     * @return the highest sequence among the messages taken from the inbox so far
     */
    public long lastSequence() {
        return received.stream().mapToLong(ServerMessage::getSequence).max().orElse(0);
    }

    /**
     * @return every message taken from the inbox so far
     */
    public List<ServerMessage> received() {
        return received;
    }
}
