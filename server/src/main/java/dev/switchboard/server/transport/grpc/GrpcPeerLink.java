package dev.switchboard.server.transport.grpc;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import dev.switchboard.server.transport.CloseCause;
import dev.switchboard.server.transport.PeerLink;
import dev.switchboard.signaling.v1.ServerMessage;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * Writes server messages to one {@code SignalingService.Connect} call.
 */
final class GrpcPeerLink implements PeerLink {
    private final ServerCallStreamObserver<ServerMessage> responses;
    private final ConnectionActivity http2;
    private final Optional<String> bearerToken;
    // A stream observer is not thread-safe; writes come from the outbox writer, an abort from anywhere.
    private final ReentrantLock lock = new ReentrantLock();
    private boolean finished;
    /** The client reset the stream: nothing more may be sent on it, trailers included (RFC 9113 5.1). */
    private volatile boolean cancelledByClient;
    private final AtomicReference<CloseCause> abortCause = new AtomicReference<>();

    /**
     * @param responses the call's response stream
     * @param http2     the call's HTTP/2 connection, or null when it is unknown
     * @param bearerToken the token in the call's {@code authorization} metadata, if any
     */
    GrpcPeerLink(ServerCallStreamObserver<ServerMessage> responses, ConnectionActivity http2,
                 Optional<String> bearerToken) {
        this.responses = responses;
        this.http2 = http2;
        this.bearerToken = bearerToken;
    }

    @Override
    public Optional<String> bearerToken() {
        return bearerToken;
    }

    @Override
    public void write(ServerMessage message) {
        lock.lock();
        try {
            if (finished || cancelledByClient || responses.isCancelled()) {
                throw new IllegalStateException("call already ended");
            }
            responses.onNext(message);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close(CloseCause cause) {
        lock.lock();
        try {
            finish(cause);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void abort(CloseCause cause) {
        // The first cause is the one the client is told: a close that races in later (the writer failing on the
        // torn-down stream, say) must not turn a RESOURCE_EXHAUSTED into an OK.
        abortCause.compareAndSet(null, cause);
        // The writer may hold the lock while blocked on HTTP/2 flow control (a client that stopped reading): it is
        // freed when Helidon's http_2 flow-control-timeout passes, and this thread ends the call once the lock is
        // free, without making the aborting thread wait. Interrupting the writer instead could cut a frame in
        // half on an HTTP/2 connection that other calls share.
        Thread.ofVirtual().name("switchboard-grpc-abort").start(() -> close(cause));
    }

    /**
     * The client reset the call's stream.
     */
    void cancelledByClient() {
        cancelledByClient = true;
    }

    @Override
    public void keepalive() {
        if (http2 != null) {
            http2.ping();
        }
    }

    @Override
    public long lastHeardNanos() {
        // every HTTP/2 frame counts: the ACKs of our PINGs, the client's own keepalive PINGs, other calls' frames
        return http2 == null ? Long.MIN_VALUE : http2.lastReadNanos();
    }

    @Override
    public String transport() {
        return GrpcTransport.NAME;
    }

    private void finish(CloseCause requested) {
        if (finished) {
            return;
        }
        finished = true;
        CloseCause aborted = abortCause.get();
        CloseCause cause = aborted != null ? aborted : requested;
        // Helidon reports a call the client reset as cancelled only once both sides closed it
        if (cancelledByClient || responses.isCancelled()) {
            return;
        }
        try {
            switch (cause) {
                case NORMAL -> responses.onCompleted();
                case REPLACED -> responses.onError(Status.ABORTED.withDescription("session replaced")
                                                           .asRuntimeException());
                case SLOW_CONSUMER -> responses.onError(Status.RESOURCE_EXHAUSTED.withDescription("slow consumer")
                                                                .asRuntimeException());
                case SHUTDOWN -> responses.onError(Status.UNAVAILABLE.withDescription("server shutting down")
                                                           .asRuntimeException());
                case HEARTBEAT_TIMEOUT -> responses.onError(Status.UNAVAILABLE.withDescription("heartbeat timeout")
                                                                    .asRuntimeException());
                case RESUMED_ELSEWHERE -> responses.onError(
                        Status.ABORTED.withDescription("session resumed on another connection").asRuntimeException());
                case HELLO_TIMEOUT -> responses.onError(Status.UNAUTHENTICATED.withDescription("no hello")
                                                                .asRuntimeException());
                case SERVER_FULL -> responses.onError(Status.UNAVAILABLE.withDescription("server full")
                                                              .asRuntimeException());
                case MESSAGE_TOO_LARGE -> responses.onError(Status.RESOURCE_EXHAUSTED
                                                                    .withDescription("message too large")
                                                                    .asRuntimeException());
                case REMOVED -> responses.onError(Status.ABORTED.withDescription("removed by an operator")
                                                          .asRuntimeException());
            }
        } catch (RuntimeException e) {
            // the call ended under us (peer reset); nothing left to close
        }
    }
}
