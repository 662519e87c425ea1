/**
 * Switchboard's server: {@link dev.switchboard.server.Switchboard} wires the parts (see docs/ARCHITECTURE.md for
 * the layers and the path of one signal). This page is the one place that says which threads run, which locks
 * exist, in what order they may be taken, and where a thread may wait.
 *
 * <h2>Threads</h2>
 * <ul>
 *     <li><b>Connection readers</b> (Helidon's virtual threads: one per WebSocket connection; per HTTP/2 connection
 *     one frame reader plus one per gRPC stream). Each decodes a frame and calls the core; everything a client
 *     message causes runs on its reader, up to handing the answers to outboxes.</li>
 *     <li><b>Outbox writers</b> ({@code switchboard-writer-<transport>}, one virtual thread per connection): the only
 *     threads that write to a client's socket; they block on the peer (TCP, HTTP/2 flow control) and on nothing
 *     else. {@code switchboard-terminated-*} and {@code switchboard-grpc-abort} run one close each.</li>
 *     <li><b>The timer</b> ({@code switchboard-timers}, one platform thread): hello deadlines, heartbeats, resume
 *     windows, ICE-restart backoff. Its tasks never wait: they take domain locks briefly and hand messages to
 *     outboxes or to the cluster's queues.</li>
 *     <li><b>Cluster</b> (only with {@code cluster.mode: redis} or the in-memory cluster of the tests):
 *     {@code switchboard-cluster-writer} (group-commits appends, leaves and session mirrors to the backend),
 *     {@code switchboard-cluster-reader} (reads this node's mailbox in order), {@code switchboard-cluster-heartbeat}
 *     (heartbeats, dead-node detection, reaping) and short-lived {@code switchboard-cluster-forward} virtual
 *     threads (a resume that moves a session). These are the only threads that wait on Redis.</li>
 *     <li><b>Socket.IO</b>: Helidon's request threads serve Engine.IO polls (a GET waits for packets, at most about
 *     a ping interval) and posts; the timer's tick per Engine.IO connection starts a virtual thread for its ping or
 *     its close, at most one ping at a time.</li>
 *     <li>{@code switchboard-log-writer}: writes the buffered console log.</li>
 * </ul>
 *
 * <h2>Lock order</h2>
 * A thread that holds a lock may take only locks further down this list, never one above it:
 * <ol>
 *     <li>{@code Session.inboundLock()}: held while one client message of the session is handled (and while a
 *     resume takes the session over).</li>
 *     <li>{@code Room.lock()}: membership of one room; taken under the inbound lock by joins and leaves, alone by
 *     cluster deliveries and teardown. Never two rooms at once.</li>
 *     <li>{@code PeerPair.lock}: one pair's reported connection states (room membership is read without a
 *     lock).</li>
 *     <li>The recovery's per-pair lock ({@code IceRestartCoordinator}): one pair's restart attempts.</li>
 *     <li>{@code SignalDeduplicator}'s lock: one session's record of signals seen.</li>
 *     <li>{@code OutboundStream}'s lock: one session's numbering and replay buffer; any thread that sends to a
 *     session takes it, under any of the locks above.</li>
 *     <li>Leaves, which call nothing that locks: {@code OutboxQueue}'s lock (a connection's write queue),
 *     {@code CoreConnection}'s state lock, the cluster's {@code Outgoing} queue lock, {@code Admission}'s,
 *     {@code GrpcPeerLink}'s (held by the writer across one frame write), {@code EngineConnection}'s (a Socket.IO
 *     connection's packets: held by its own threads across a queue or socket write, which it orders across the
 *     upgrade from polling) and the log handler's.</li>
 * </ol>
 *
 * <h2>Where a thread may wait</h2>
 * Only outbox writers wait on a socket, and only the cluster's own threads wait on Redis. A reader that sends a
 * crossing signal hands it to the cluster writer's queue and returns; the signal's ack is sent from the append's
 * completion. Room joins in cluster mode complete the same way ({@code Cluster.join} returns a stage). A reader
 * may wait, holding no lock, for its own connection's answers to be written ({@code Outbox.awaitRoom}): a WebSocket
 * reader only, which serves its connection alone ({@code PeerLink.readerMayWait}). A WebSocket's reader writes
 * protocol answers to its own socket (a pong, a close frame; Engine.IO's {@code 3probe} and {@code CONNECT_ERROR}).
 */
package dev.switchboard.server;
