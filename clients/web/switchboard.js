// Switchboard browser SDK: one ES module, no build step. Served by the server at /client/switchboard.js.
//
//   import { SwitchboardClient, PeerSession } from '/client/switchboard.js';
//
// SwitchboardClient speaks the signaling protocol (proto3 JSON over WebSocket) and carries its reliability for the
// page: numbered messages, acks, heartbeats, reconnect with the server's backoff, session resume (or a fresh session
// with the rooms rejoined). PeerSession wires one RTCPeerConnection to it: perfect negotiation with the role the
// server assigned, trickled candidates, state reports, and ICE restarts when the server asks.

const DEFAULT_HEARTBEAT = { intervalMs: 5000, timeoutMs: 15000 };
const DEFAULT_RECONNECT = { initialDelayMs: 250, multiplier: 2, maxDelayMs: 5000, jitter: 0.5 };
const DEFAULT_CONNECT_TIMEOUT_MS = 10000;
const OUTBOUND_CAPACITY = 1024;
const SIGNALS = new Set(['offer', 'answer', 'iceCandidate']);
const SIGNAL_KINDS = { offer: 'SIGNAL_KIND_OFFER', answer: 'SIGNAL_KIND_ANSWER', iceCandidate: 'SIGNAL_KIND_ICE_CANDIDATE' };

/** The server's typed refusal of a request: `code` is the ErrorCode name, e.g. 'ERROR_CODE_ROOM_FULL'. */
export class SignalingError extends Error {
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.code = code;
  }
}

/**
 * A Switchboard session over WebSocket, kept alive for the page.
 *
 * Events (addEventListener, or on(name, fn) and off(name, fn)); each event's `detail` is the server message's
 * payload in proto3 JSON (`roomjoined` only for the rooms the client rejoins by itself after a new session: the
 * page's own join() resolves with its roomJoined instead, so members are never reported twice):
 *   welcome, roomjoined, offer, answer, icecandidate, peerjoined, peerleft, icerestartrequired, icerestartfailed,
 *   iceserversupdated, peermediachanged, error (an error that answers no request), and
 *   connection: { event: 'connected' | 'disconnected' | 'resumed' | 'new-session' | 'closed', detail, attempt }
 *   (`attempt`: on 'disconnected', the number of the reconnect attempt about to be made, 1 for the first, and
 *   `delayMs` before it; 0 once connected).
 * Each relayed signal is delivered once, even across reconnects.
 */
export class SwitchboardClient extends EventTarget {
  #url;
  #userId;
  #token;
  #ws = null;
  #welcomed = false;
  #resumeToken = '';
  #lastReceived = 0;
  #nextSequence = 1;
  #pending = new Map();       // sequence -> { message, resolve, reject }, in sequence order
  #rooms = new Set();
  #heartbeat = DEFAULT_HEARTBEAT;
  #reconnect = DEFAULT_RECONNECT;
  #attempt = 0;
  #closed = false;
  #firstWelcome = null;
  #lastSentAt = 0;
  #lastReceivedAt = 0;
  #tickTimer = null;
  #connectTimeoutMs;
  #connectTimer = null;
  #wrapped = new Map();       // event name -> Map(fn -> the listener on() added for it)
  #rejoining = new Set();     // rooms the client rejoins by itself after a new session

  /** STUN/TURN servers of the latest welcome, ice_restart_required or ice_servers_updated. */
  iceServers = [];
  /** The server's id of the current session. */
  sessionId = '';

  /**
   * @param {object} options
   * @param {string} options.url       the signaling WebSocket, e.g. `wss://signal.example.org/signaling`
   * @param {string} [options.userId]  who the page is (with auth.mode jwt: the token's subject; may be empty)
   * @param {string|function(): string} [options.token]  a JWT, or a function giving a fresh one at each (re)connect
   * @param {number} [options.connectTimeoutMs]  how long connect() keeps trying before it rejects (10 s)
   */
  constructor({ url, userId = '', token = '', connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS }) {
    super();
    this.#url = url;
    this.#userId = userId;
    this.#token = typeof token === 'function' ? token : () => token;
    this.#connectTimeoutMs = connectTimeoutMs;
    if (typeof window !== 'undefined') {
      // A page that closes or navigates away ends its session at once (bye): its peers see it leave now, not after
      // the resume window and three ICE restarts. A dropped network still resumes.
      window.addEventListener('pagehide', () => this.close());
    }
  }

  /** Shorthand for addEventListener(name, event => fn(event.detail)); off(name, fn) removes it. */
  on(name, fn) {
    const listeners = this.#wrapped.get(name) ?? new Map();
    this.#wrapped.set(name, listeners);
    if (!listeners.has(fn)) {
      const listener = event => fn(event.detail);
      listeners.set(fn, listener);
      this.addEventListener(name, listener);
    }
    return this;
  }

  /** Removes a listener that on(name, fn) added. */
  off(name, fn) {
    const listener = this.#wrapped.get(name)?.get(fn);
    if (listener) {
      this.removeEventListener(name, listener);
      this.#wrapped.get(name).delete(fn);
    }
    return this;
  }

  /**
   * Opens the session; resolves with the first welcome. It keeps retrying with backoff until the server answers,
   * for at most connectTimeoutMs: then it rejects with a SignalingError (code 'CONNECT_TIMEOUT') and the client
   * closes. Once connected, drops are retried for as long as the page keeps the client.
   */
  connect() {
    if (!this.#firstWelcome) {
      this.#firstWelcome = deferred();
      this.#connectTimer = setTimeout(() => {
        if (!this.#firstWelcome.settled) {
          this.#shutDown('closed', `no session within ${this.#connectTimeoutMs} ms`, false,
                         new SignalingError('CONNECT_TIMEOUT', `no session within ${this.#connectTimeoutMs} ms `
                                            + `(${this.#attempt} reconnect attempts)`));
        }
      }, this.#connectTimeoutMs);
      this.#open();
      this.#tick();
    }
    return this.#firstWelcome.promise;
  }

  /** Enters a room; resolves with roomJoined (the other members and the page's role towards each). */
  join(roomId) {
    return this.#request({ join: { roomId } }).then(reply => reply.roomJoined);
  }

  /** Leaves a room. */
  leave(roomId) {
    return this.#request({ leave: { roomId } }).then(() => undefined);
  }

  /** Sends an SDP offer; resolves with the server's ack ({ success, duplicate, stale, errorCode }). */
  sendOffer(roomId, targetUserId, sdp) {
    return this.#request({ offer: { roomId, targetUserId, sdp } }).then(reply => reply.ack);
  }

  /** Sends an SDP answer; resolves with the ack. */
  sendAnswer(roomId, targetUserId, sdp) {
    return this.#request({ answer: { roomId, targetUserId, sdp } }).then(reply => reply.ack);
  }

  /** Sends an RTCIceCandidate (or its init); resolves with the ack. */
  sendIceCandidate(roomId, targetUserId, candidate) {
    const init = typeof candidate?.toJSON === 'function' ? candidate.toJSON() : (candidate ?? {});
    const iceCandidate = {
      roomId,
      targetUserId,
      candidate: init.candidate ?? '',
      sdpMid: init.sdpMid ?? '',
      usernameFragment: init.usernameFragment ?? candidate?.usernameFragment ?? '',
    };
    if (init.sdpMLineIndex !== null && init.sdpMLineIndex !== undefined) {
      iceCandidate.sdpMlineIndex = init.sdpMLineIndex;
    }
    return this.#request({ iceCandidate }).then(reply => reply.ack);
  }

  /** Reports an RTCPeerConnection's states towards a peer, so the server can monitor the pair. No reply. */
  reportState(roomId, targetUserId, pc) {
    this.#send({
      connectionStateUpdate: {
        roomId,
        targetUserId,
        connectionState: 'PEER_CONNECTION_STATE_' + pc.connectionState.toUpperCase(),
        iceConnectionState: 'ICE_CONNECTION_STATE_' + pc.iceConnectionState.toUpperCase(),
        iceGatheringState: 'ICE_GATHERING_STATE_' + pc.iceGatheringState.toUpperCase(),
      },
    }, null);
  }

  /**
   * Tells the room's other members that the page's microphone, camera or screen share turned on or off, e.g.
   * reportMedia(roomId, { audio: false }); they get `peermediachanged`. No reply.
   */
  reportMedia(roomId, media) {
    this.#send({ mediaUpdate: { roomId, media } }, null);
  }

  /** Ends the session (bye: peers see the page leave at once). */
  close() {
    this.#shutDown('closed', 'closed by the page', true);
  }

  #request(payload) {
    return new Promise((resolve, reject) => this.#send(payload, { resolve, reject }));
  }

  // Numbers the message and sends it if the session is up; otherwise it waits and goes out on (re)connect.
  #send(payload, reply) {
    if (this.#closed) {
      reply?.reject(new SignalingError('ERROR_CODE_UNSPECIFIED', 'client closed'));
      return;
    }
    const sequence = this.#nextSequence++;
    const message = { sequence: String(sequence), requestId: String(sequence), ...payload };
    this.#pending.set(sequence, { message, reply });
    while (this.#pending.size > OUTBOUND_CAPACITY) {
      const [oldest, entry] = this.#pending.entries().next().value;
      this.#pending.delete(oldest);
      entry.reply?.reject(new SignalingError('ERROR_CODE_UNSPECIFIED', 'too many requests await a reply'));
    }
    if (this.#welcomed) {
      this.#write(message);
    }
  }

  #write(message) {
    if (this.#ws?.readyState === WebSocket.OPEN) {
      this.#lastSentAt = Date.now();
      this.#ws.send(JSON.stringify({ ...message, lastReceivedSequence: String(this.#lastReceived) }));
    }
  }

  #open() {
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    this.#welcomed = false;
    this.#lastReceivedAt = Date.now();
    ws.onopen = () => {
      if (this.#ws === ws) {
        this.#write({ hello: this.#hello() });
      }
    };
    ws.onmessage = event => {
      if (this.#ws === ws && typeof event.data === 'string') {
        this.#received(JSON.parse(event.data));
      }
    };
    ws.onclose = event => {
      if (this.#ws === ws) {
        this.#dropped(`connection closed (${event.code}${event.reason ? ' ' + event.reason : ''})`);
      }
    };
  }

  #hello() {
    const hello = { userId: this.#userId, token: this.#token() ?? '', clientName: 'switchboard-web', clientVersion: '0.1.0',
                    ackMode: 'ACK_MODE_RANGE' };   // one ack_range per server write instead of an ack per signal
    if (this.#resumeToken) {
      hello.resumeToken = this.#resumeToken;
      hello.lastReceivedSequence = String(this.#lastReceived);
    }
    return hello;
  }

  #received(message) {
    this.#lastReceivedAt = Date.now();
    const sequence = Number(message.sequence ?? 0);
    if (sequence > 0) {
      if (sequence <= this.#lastReceived) {
        return;   // replayed again after a resume: already delivered
      }
      this.#lastReceived = sequence;
    }
    const answered = message.ackRange ? this.#relayed(message.ackRange) : this.#answered(message);
    if (message.welcome) {
      this.#onWelcome(message.welcome);
    } else if (message.error) {
      this.#onError(message.error, answered);
    } else if (message.roomJoined) {
      this.#rooms.add(message.roomJoined.roomId);
      // the page's own join() resolves with it: the event is for the joins the page did not make (rejoins)
      if (!answered || this.#rejoining.delete(message.roomJoined.roomId)) {
        this.#emit('roomjoined', message.roomJoined);
      }
    } else if (message.roomLeft) {
      this.#rooms.delete(message.roomLeft.roomId);
    } else if (message.offer) {
      this.#emit('offer', message.offer);
    } else if (message.answer) {
      this.#emit('answer', message.answer);
    } else if (message.iceCandidate) {
      this.#emit('icecandidate', message.iceCandidate);
    } else if (message.peerJoined) {
      this.#emit('peerjoined', message.peerJoined);
    } else if (message.peerLeft) {
      this.#emit('peerleft', message.peerLeft);
    } else if (message.iceRestartRequired) {
      this.iceServers = message.iceRestartRequired.iceServers ?? [];
      this.#emit('icerestartrequired', message.iceRestartRequired);
    } else if (message.iceRestartFailed) {
      this.#emit('icerestartfailed', message.iceRestartFailed);
    } else if (message.peerMediaChanged) {
      this.#emit('peermediachanged', message.peerMediaChanged);
    } else if (message.goingAway) {
      this.#dropped(`the server is going away: ${message.goingAway.reason ?? ''}`,
                    Number(message.goingAway.reconnectAfterMs ?? 0));
    } else if (message.iceServersUpdated) {
      this.iceServers = message.iceServersUpdated.iceServers ?? [];
      this.#emit('iceserversupdated', message.iceServersUpdated);
    }
  }

  // Completes the request a message answers: an ack for a signal, room_joined, room_left, pong, or an error.
  // (A signal may also be completed by an ack_range that covers it, see #relayed.)
  #answered(message) {
    const sequence = Number(message.requestId || -1);
    const entry = this.#pending.get(sequence);
    if (!entry) {
      return false;
    }
    const isSignal = Object.keys(entry.message).some(key => SIGNALS.has(key));
    if (message.error && isSignal) {
      return true;  // the ack that comes with it completes the signal
    }
    this.#pending.delete(sequence);
    if (message.error) {
      entry.reply?.reject(new SignalingError(message.error.code, message.error.message ?? ''));
    } else {
      entry.reply?.resolve(message);
    }
    return true;
  }

  // Completes the signals an ack_range covers: each one still pending within it was relayed.
  #relayed(range) {
    const first = Number(range.firstSequence ?? 0);
    const last = Number(range.lastSequence ?? 0);
    let any = false;
    for (const [sequence, entry] of this.#pending) {
      const kind = Object.keys(entry.message).find(key => SIGNALS.has(key));
      if (sequence >= first && sequence <= last && kind) {
        this.#pending.delete(sequence);
        entry.reply?.resolve({ ack: { kind: SIGNAL_KINDS[kind], sequence: String(sequence), success: true } });
        any = true;
      }
    }
    return any;
  }

  #onWelcome(welcome) {
    this.#welcomed = true;
    this.#attempt = 0;
    if (welcome.heartbeat?.intervalMs) {
      this.#heartbeat = { ...DEFAULT_HEARTBEAT, ...welcome.heartbeat };
    }
    if (welcome.reconnect) {
      this.#reconnect = { ...DEFAULT_RECONNECT, ...welcome.reconnect };
    }
    this.iceServers = welcome.iceServers ?? [];
    this.sessionId = welcome.sessionId;
    this.#resumeToken = welcome.resumeToken;
    this.#emit('welcome', welcome);
    if (welcome.resumed) {
      // what the server processed is confirmed; replies to it come in the replay. Re-send the rest, in order.
      const processed = Number(welcome.lastProcessedSequence ?? 0);
      for (const [sequence, entry] of [...this.#pending]) {
        if (sequence <= processed && !entry.reply) {
          this.#pending.delete(sequence);
        } else if (sequence > processed) {
          this.#write(entry.message);
        }
      }
      this.#connection('resumed', `session ${this.sessionId} resumed after sequence ${this.#lastReceived}`);
      return;
    }
    if (!this.#firstWelcome.settled) {
      for (const entry of this.#pending.values()) {
        this.#write(entry.message);    // requests made before the session opened
      }
      clearTimeout(this.#connectTimer);
      this.#firstWelcome.resolve(welcome);
      this.#connection('connected', `session ${this.sessionId}`);
      return;
    }
    // a fresh session after a failed resume: pending requests will not be answered; rejoin the rooms
    const lost = [...this.#pending.values()];
    this.#pending.clear();
    lost.forEach(entry => entry.reply?.reject(new SignalingError('ERROR_CODE_RESUME_FAILED', 'the session was lost')));
    const rooms = [...this.#rooms];
    this.#rooms.clear();
    this.#connection('new-session', `session ${this.sessionId}; rejoining ${rooms.join(', ')}`);
    rooms.forEach(room => {
      this.#rejoining.add(room);
      this.join(room).catch(error => console.warn('switchboard: could not rejoin', room, error));
    });
  }

  #onError(error, answered) {
    if (error.code === 'ERROR_CODE_RESUME_FAILED' && !this.#welcomed) {
      this.#resumeToken = '';
      this.#lastReceived = 0;
      this.#write({ hello: this.#hello() });
      return;
    }
    if (!this.#welcomed && ['ERROR_CODE_DRAINING', 'ERROR_CODE_SERVER_FULL', 'ERROR_CODE_CLUSTER_UNAVAILABLE']
        .includes(error.code)) {
      this.#dropped(`${error.code}: ${error.message}`);   // the next attempt may reach another server; token kept
      return;
    }
    if (!this.#welcomed && !this.#firstWelcome.settled) {
      this.#shutDown('closed', `${error.code}: ${error.message}`, false);   // refused (a bad token): do not retry
      return;
    }
    if (error.fatal) {
      this.#shutDown('closed', `${error.code}: ${error.message}`, false);
      return;
    }
    if (!answered) {
      this.#emit('error', error);
    }
  }

  // delayMs: how long to wait before reconnecting; undefined for the backoff's next delay
  #dropped(why, delayMs) {
    if (this.#closed) {
      return;
    }
    const ws = this.#ws;
    this.#ws = null;
    this.#welcomed = false;
    if (ws && ws.readyState !== WebSocket.CLOSED) {
      ws.close();
    }
    const attempt = ++this.#attempt;
    const delay = delayMs ?? this.#backoff(attempt);
    this.#connection('disconnected', why, { attempt, delayMs: Math.round(delay) });
    setTimeout(() => {
      if (!this.#closed && !this.#ws) {
        this.#open();
      }
    }, delay);
  }

  #backoff(attempt) {
    const policy = this.#reconnect;
    const base = Math.min(policy.maxDelayMs,
                          policy.initialDelayMs * Math.pow(Math.max(1, policy.multiplier), attempt - 1));
    return Math.max(0, base * (1 + policy.jitter * (2 * Math.random() - 1)));
  }

  // Every half heartbeat interval: ping when quiet; give up on a connection silent past the timeout.
  #tick() {
    if (this.#closed) {
      return;
    }
    const now = Date.now();
    if (this.#ws) {
      if (now - this.#lastReceivedAt >= this.#heartbeat.timeoutMs) {
        this.#dropped(`nothing from the server for ${now - this.#lastReceivedAt} ms`);
      } else if (this.#welcomed && now - this.#lastSentAt >= this.#heartbeat.intervalMs / 2) {
        this.#write({ ping: { clientTimeMs: String(now) } });
      }
    }
    this.#tickTimer = setTimeout(() => this.#tick(), Math.max(20, this.#heartbeat.intervalMs / 2));
  }

  #shutDown(event, why, sayBye, cause = new SignalingError('ERROR_CODE_UNSPECIFIED', `client closed: ${why}`)) {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    clearTimeout(this.#tickTimer);
    clearTimeout(this.#connectTimer);
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      if (sayBye && this.#welcomed && ws.readyState === WebSocket.OPEN) {
        ws.send(JSON.stringify({ bye: {} }));
      }
      ws.close(1000);
    }
    this.#pending.forEach(entry => entry.reply?.reject(cause));
    this.#pending.clear();
    this.#firstWelcome?.reject(cause);
    this.#connection(event, why);
  }

  #connection(event, detail, extra = { attempt: 0 }) {
    this.#emit('connection', { event, detail, ...extra });
  }

  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }
}

/**
 * One RTCPeerConnection to one peer in a room, negotiated through a SwitchboardClient with W3C perfect negotiation
 * (the server assigned the roles: `polite` is true when the page's role towards the peer is POLITE). It trickles
 * candidates, reports the connection's states to the server, and answers ice_restart_required with restartIce()
 * and a new offer (the impolite side is the one asked), using the fresh ICE servers it carries.
 *
 *   const session = new PeerSession(client, { roomId, peerId, polite, iceServers: client.iceServers });
 *   const channel = session.pc.createDataChannel('chat');   // or add tracks: negotiation follows by itself
 *
 * Events: negotiationerror { stage: 'offer' | 'answer' | 'candidate' | 'icecandidate' | ..., error } when a step
 * of the negotiation fails (also logged to the console), and icerestartcompleted { attempt, tookMs } when the
 * connection is up again after an ICE restart the server asked for.
 */
export class PeerSession extends EventTarget {
  #client;
  #roomId;
  #peerId;
  #polite;
  #makingOffer = false;
  #ignoreOffer = false;
  #settingRemoteAnswer = false;
  #inbound = Promise.resolve();
  #listeners = [];
  #restart = null;            // the ICE restart under way: { attempt, startedAt }

  constructor(client, { roomId, peerId, polite, iceServers = client.iceServers, configuration = {} }) {
    super();
    this.#client = client;
    this.#roomId = roomId;
    this.#peerId = peerId;
    this.#polite = polite;
    this.pc = new RTCPeerConnection({ ...configuration, iceServers });
    const pc = this.pc;

    pc.onnegotiationneeded = async () => {
      try {
        this.#makingOffer = true;
        await pc.setLocalDescription();
        await client.sendOffer(roomId, peerId, pc.localDescription.sdp);
      } catch (error) {
        this.#failed('offer', error);
      } finally {
        this.#makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate }) => {
      if (candidate && candidate.candidate) {
        client.sendIceCandidate(roomId, peerId, candidate).catch(error => this.#failed('candidate', error));
      }
    };
    const report = () => {
      client.reportState(roomId, peerId, pc);
      if (this.#restart && pc.connectionState === 'connected') {
        const { attempt, startedAt } = this.#restart;
        this.#restart = null;
        this.dispatchEvent(new CustomEvent('icerestartcompleted',
                                           { detail: { attempt, tookMs: Date.now() - startedAt } }));
      }
    };
    pc.addEventListener('connectionstatechange', report);
    pc.addEventListener('iceconnectionstatechange', report);
    pc.addEventListener('icegatheringstatechange', report);

    this.#listen('offer', offer => this.#description({ type: 'offer', sdp: offer.sdp }));
    this.#listen('answer', answer => this.#description({ type: 'answer', sdp: answer.sdp }));
    this.#listen('icecandidate', candidate => this.#candidate(candidate));
    this.#listen('icerestartrequired', restart => {
      if (restart.iceServers?.length) {
        pc.setConfiguration({ ...pc.getConfiguration(), iceServers: restart.iceServers });
      }
      this.#restart = { attempt: restart.attempt ?? 1, startedAt: Date.now() };
      pc.restartIce();   // negotiationneeded follows, with an ICE-restart offer
    });
    const updated = ({ iceServers: fresh }) => pc.setConfiguration({ ...pc.getConfiguration(), iceServers: fresh });
    client.addEventListener('iceserversupdated', this.#remember('iceserversupdated', event => updated(event.detail)));
  }

  /** Whether the page is the polite side towards this peer (the role the server assigned). */
  get polite() {
    return this.#polite;
  }

  /** Stops listening and closes the connection. */
  close() {
    this.#listeners.forEach(([name, listener]) => this.#client.removeEventListener(name, listener));
    this.#listeners = [];
    this.pc.close();
  }

  // Signals from this peer in this room, handled one after the other in arrival order.
  #listen(name, handle) {
    const listener = event => {
      const message = event.detail;
      const from = message.fromUserId ?? message.targetUserId;
      if (message.roomId !== this.#roomId || (from !== this.#peerId)) {
        return;
      }
      this.#inbound = this.#inbound.then(() => handle(message)).catch(error => this.#failed(name, error));
    };
    this.#client.addEventListener(name, this.#remember(name, listener));
  }

  // A step of the negotiation failed: the page hears of it ('negotiationerror'), and the console still shows it.
  #failed(stage, error) {
    console.warn(`switchboard: ${stage} failed`, error);
    this.dispatchEvent(new CustomEvent('negotiationerror', { detail: { stage, error } }));
  }

  #remember(name, listener) {
    this.#listeners.push([name, listener]);
    return listener;
  }

  async #description(description) {
    const pc = this.pc;
    const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#settingRemoteAnswer);
    const collision = description.type === 'offer' && !readyForOffer;
    this.#ignoreOffer = !this.#polite && collision;
    if (this.#ignoreOffer) {
      return;
    }
    this.#settingRemoteAnswer = description.type === 'answer';
    await pc.setRemoteDescription(description);
    this.#settingRemoteAnswer = false;
    if (description.type === 'offer') {
      await pc.setLocalDescription();
      await this.#client.sendAnswer(this.#roomId, this.#peerId, pc.localDescription.sdp);
    }
  }

  async #candidate(candidate) {
    try {
      await this.pc.addIceCandidate({
        candidate: candidate.candidate ?? '',
        sdpMid: candidate.sdpMid || null,
        sdpMLineIndex: candidate.sdpMlineIndex ?? null,
        usernameFragment: candidate.usernameFragment || null,
      });
    } catch (error) {
      if (!this.#ignoreOffer) {
        throw error;
      }
    }
  }
}

/**
 * A room's peers, each with its own PeerSession: joining makes a session per member already there and per member
 * who joins later, with the roles the server assigned; a member who leaves has its session closed. The page deals
 * with what comes out of it:
 *
 *   const room = new Room(client, 'r1', { dataChannel: 'chat' });
 *   room.addEventListener('datachannel', ({ detail: { peerId, channel } }) => ...);   // open on both sides
 *   room.addEventListener('track', ({ detail: { peerId, track, streams } }) => ...);
 *   room.addEventListener('peerleft', ({ detail: { peerId } }) => ...);
 *   await room.join();
 *   room.addStream(await navigator.mediaDevices.getUserMedia({ video: true }));   // to every peer, now and later
 *
 * Events: peer { peerId, session } (a session was made), track, datachannel, peerleft { peerId, reason }.
 */
export class Room extends EventTarget {
  #client;
  #roomId;
  #configuration;
  #dataChannel;
  #streams = [];
  #listeners = [];
  /** peerId -> its PeerSession. */
  peers = new Map();

  /**
   * @param {SwitchboardClient} client
   * @param {string} roomId
   * @param {object} [options]
   * @param {RTCConfiguration} [options.configuration]  for every RTCPeerConnection (the ICE servers are the client's)
   * @param {string|null} [options.dataChannel]  a data channel of this label with every peer; null for none
   */
  constructor(client, roomId, { configuration = {}, dataChannel = 'data' } = {}) {
    super();
    this.#client = client;
    this.#roomId = roomId;
    this.#configuration = configuration;
    this.#dataChannel = dataChannel;
  }

  /** Joins the room; resolves with roomJoined once a session exists for every member already there. */
  async join() {
    const ours = handler => event => event.detail.roomId === this.#roomId && handler(event.detail);
    this.#listen('peerjoined', ours(joined => this.#add(joined.userId, joined.role)));
    this.#listen('peerleft', ours(left => this.#remove(left.userId, left.reason)));
    this.#listen('roomjoined', ours(joined => (joined.members ?? [])   // rejoined after a new session
      .filter(member => !this.peers.has(member.userId)).forEach(member => this.#add(member.userId, member.role))));
    const joined = await this.#client.join(this.#roomId);
    (joined.members ?? []).forEach(member => this.#add(member.userId, member.role));
    return joined;
  }

  /** Sends a stream's tracks to every peer, and to every peer who joins later. */
  addStream(stream) {
    this.#streams.push(stream);
    this.peers.forEach(session => stream.getTracks().forEach(track => session.pc.addTrack(track, stream)));
  }

  /** Closes every session and leaves the room. */
  async leave() {
    this.#listeners.forEach(([name, listener]) => this.#client.removeEventListener(name, listener));
    this.#listeners = [];
    [...this.peers.keys()].forEach(peerId => this.#remove(peerId, 'left'));
    await this.#client.leave(this.#roomId);
  }

  #listen(name, listener) {
    this.#listeners.push([name, listener]);
    this.#client.addEventListener(name, listener);
  }

  #add(peerId, role) {
    this.peers.get(peerId)?.close();
    const polite = role === 'NEGOTIATION_ROLE_POLITE';
    const session = new PeerSession(this.#client, { roomId: this.#roomId, peerId, polite,
                                                    iceServers: this.#client.iceServers,
                                                    configuration: this.#configuration });
    this.peers.set(peerId, session);
    this.#emit('peer', { peerId, session });    // first: what follows is about a peer the page knows
    const pc = session.pc;
    pc.addEventListener('track', ({ track, streams }) => this.#emit('track', { peerId, track, streams }));
    if (this.#dataChannel !== null) {
      if (polite) {
        pc.addEventListener('datachannel', ({ channel }) => this.#emit('datachannel', { peerId, channel }));
      } else {
        // the impolite side opens it; negotiation follows by itself
        this.#emit('datachannel', { peerId, channel: pc.createDataChannel(this.#dataChannel) });
      }
    }
    this.#streams.forEach(stream => stream.getTracks().forEach(track => pc.addTrack(track, stream)));
  }

  #remove(peerId, reason) {
    const session = this.peers.get(peerId);
    if (session) {
      session.close();
      this.peers.delete(peerId);
      this.#emit('peerleft', { peerId, reason });
    }
  }

  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }
}

function deferred() {
  const result = { settled: false };
  result.promise = new Promise((resolve, reject) => {
    result.resolve = value => { result.settled = true; resolve(value); };
    result.reject = error => { result.settled = true; reject(error); };
  });
  result.promise.catch(() => {});   // a refused connect is also reported as a 'connection' event
  return result;
}
