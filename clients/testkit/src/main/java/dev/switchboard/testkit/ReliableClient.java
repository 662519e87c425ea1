package dev.switchboard.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.signaling.v1.ClientMessage;
import dev.switchboard.signaling.v1.ServerMessage;
import dev.switchboard.signaling.v1.Welcome;

/**
 * A test client that does what the reliability protocol asks of a real one: numbers its messages, acknowledges
 * what it received, and after a dropped connection reconnects (on the next transport in its list), resumes, and
 * re-sends the signals the server had not processed. It records everything the server delivered, and counts
 * any message delivered twice, which would be a server bug. Like a real client it does not trust the socket to
 * report its own death: a failed write, or silence past a heartbeat timeout while it pings, also counts as a
 * dropped connection. Single-threaded: the test drives it with {@link #pump}.
 */
public final class ReliableClient implements AutoCloseable {
    private static final long PING_INTERVAL = Duration.ofMillis(200).toNanos();
    private static final long SILENCE_TIMEOUT = Duration.ofSeconds(2).toNanos();

    private final String userId;
    private final int port;
    private final List<Transport> transports;
    private final SignalLedger<ClientMessage> ledger = new SignalLedger<>();
    private final List<ServerMessage> delivered = new ArrayList<>();
    private Peer connection;
    private int connections;
    private String resumeToken;
    private int duplicateDeliveries;
    private boolean broken;
    private long lastHeard;
    private long lastPing;

    /**
     * @param userId     who to be
     * @param port       where to connect on 127.0.0.1
     * @param transports the transports to use, in turn, one per connection
     */
    public ReliableClient(String userId, int port, List<Transport> transports) {
        this.userId = userId;
        this.port = port;
        this.transports = transports;
    }

    /**
     * Connects: a new session the first time, a resume afterwards.
     */
    public void connect() {
        if (connection != null) {
            connection.close();
        }
        Transport transport = transports.get(connections++ % transports.size());
        connection = transport.connect(userId + "#" + connections, port);
        broken = false;
        if (resumeToken == null) {
            connection.send(Messages.hello(userId).build());
        } else {
            connection.send(Messages.resume(resumeToken, ledger.lastReceived()).build());
        }
        ServerMessage first = connection.next();
        lastHeard = System.nanoTime();
        if (!first.hasWelcome()) {
            throw new AssertionError(userId + " could not (re)connect: " + first);
        }
        Welcome welcome = first.getWelcome();
        if (resumeToken != null && !welcome.getResumed()) {
            throw new AssertionError(userId + " was not resumed: " + welcome);
        }
        if (resumeToken == null) {
            accept(first);
        }
        resumeToken = welcome.getResumeToken();
        // re-send what the server had not processed; its acks for the rest are in the replay
        for (ClientMessage message : ledger.unprocessedAfter(welcome.getLastProcessedSequence())) {
            transmit(message);
        }
    }

    /**
     * Sends a message with the next sequence number; a signal is kept until it is acknowledged.
     *
     * @param message the message, unnumbered
     */
    public void send(ClientMessage.Builder message) {
        ClientMessage numbered = message.setSequence(ledger.next()).build();
        if (numbered.hasOffer() || numbered.hasAnswer() || numbered.hasIceCandidate()) {
            ledger.sent(numbered.getSequence(), numbered);
        }
        transmit(numbered);
    }

    /**
     * Handles at most one message from the server, reconnecting first if the connection dropped.
     *
     * @param wait how long to wait for a message
     */
    public void pump(Duration wait) {
        long now = System.nanoTime();
        if (broken || connection.isClosed() || now - lastHeard > SILENCE_TIMEOUT) {
            connect();
        }
        if (now - lastPing > PING_INTERVAL) {
            lastPing = now;
            transmit(Messages.ping(System.currentTimeMillis()).setSequence(ledger.next()).build());
        }
        ServerMessage message = connection.poll(wait);
        if (message != null) {
            lastHeard = System.nanoTime();
            accept(message);
        }
    }

    /**
     * @return signals sent and not yet acknowledged
     */
    public int unacknowledged() {
        return ledger.unacknowledged();
    }

    /**
     * @return every message the server delivered, once each, in order
     */
    public List<ServerMessage> delivered() {
        return delivered;
    }

    /**
     * @return how many messages arrived a second time; always 0 for a correct server
     */
    public int duplicateDeliveries() {
        return duplicateDeliveries;
    }

    /**
     * @return how many connections were opened
     */
    public int connections() {
        return connections;
    }

    /**
     * @return the highest server sequence received
     */
    public long lastReceived() {
        return ledger.lastReceived();
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
    }

    private void accept(ServerMessage message) {
        if (!ledger.received(message.getSequence())) {
            duplicateDeliveries++;
            return;
        }
        delivered.add(message);
        if (message.hasAck()) {
            if (!message.getAck().getSuccess() && !message.getAck().getDuplicate()) {
                throw new AssertionError(userId + ": signal refused: " + message);
            }
            ledger.acknowledged(message.getAck().getSequence());
        }
    }

    private void transmit(ClientMessage message) {
        try {
            connection.send(message.toBuilder().setLastReceivedSequence(ledger.lastReceived()).build());
        } catch (RuntimeException e) {
            // the connection is gone; the message is re-sent after the resume if the server did not get it
            broken = true;
        }
    }
}
