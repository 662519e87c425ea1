// Types for switchboard.js (the browser SDK). Messages are the server's proto3 JSON: the shapes below name the
// fields an app uses; the full schema is proto/src/main/proto/switchboard/signaling/v1/signaling.proto.

/** A STUN/TURN server as RTCConfiguration takes it. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

/** A member of a room and the page's negotiation role towards it. */
/** Display fields from a member's token (the server's auth.jwt.profile-claims): name, avatar... */
export type Profile = Record<string, string>;

export interface Member {
  userId: string;
  role: 'NEGOTIATION_ROLE_POLITE' | 'NEGOTIATION_ROLE_IMPOLITE' | string;
  profile?: Profile;
}

export interface Welcome {
  sessionId: string;
  userId: string;
  resumed?: boolean;
  iceServers?: IceServer[];
  profile?: Profile;
  [field: string]: unknown;
}

export interface RoomJoined {
  roomId: string;
  members?: Member[];
}

export interface Offer { roomId: string; fromUserId: string; targetUserId?: string; sdp: string; }
export interface Answer { roomId: string; fromUserId: string; targetUserId?: string; sdp: string; }
export interface IceCandidateMessage {
  roomId: string;
  fromUserId: string;
  candidate: string;
  sdpMid?: string;
  sdpMlineIndex?: number;
  usernameFragment?: string;
}
export interface PeerJoined { roomId: string; userId: string; role?: Member['role']; profile?: Profile; }
export interface PeerLeft { roomId: string; userId: string; reason?: string; }
export interface IceRestartRequired {
  roomId: string;
  targetUserId: string;
  attempt?: number;
  maxAttempts?: number;
  reason?: string;
  iceServers?: IceServer[];
}
export interface IceRestartFailed { roomId: string; targetUserId: string; attempts?: number; }
export interface IceServersUpdated { iceServers?: IceServer[]; }
export interface ServerError { code: string; message: string; fatal?: boolean; }

/** The server's answer to a signal. */
export interface Ack {
  success?: boolean;
  duplicate?: boolean;
  stale?: boolean;
  errorCode?: string;
  sequence?: string;
}

/** The `connection` event's detail. */
export interface ConnectionEvent {
  event: 'connected' | 'disconnected' | 'resumed' | 'new-session' | 'closed';
  detail: string;
  /** On 'disconnected': the reconnect attempt about to be made, from 1; 0 otherwise. */
  attempt: number;
  /** On 'disconnected': the wait before that attempt. */
  delayMs?: number;
}

/** Which of a peer's media are on; a field left out was not reported. */
export interface MediaState {
  audio?: boolean;
  video?: boolean;
  screen?: boolean;
}

/** Another member turned its microphone, camera or screen share on or off. */
export interface PeerMediaChanged {
  roomId: string;
  userId: string;
  media: MediaState;
}

/** Event name to detail, for on() and off(). */
export interface ClientEvents {
  welcome: Welcome;
  roomjoined: RoomJoined;
  offer: Offer;
  answer: Answer;
  icecandidate: IceCandidateMessage;
  peerjoined: PeerJoined;
  peerleft: PeerLeft;
  icerestartrequired: IceRestartRequired;
  icerestartfailed: IceRestartFailed;
  iceserversupdated: IceServersUpdated;
  peermediachanged: PeerMediaChanged;
  error: ServerError;
  connection: ConnectionEvent;
}

/** The server's typed refusal of a request; `code` is the ErrorCode name, or 'CONNECT_TIMEOUT'. */
export class SignalingError extends Error {
  constructor(code: string, message: string);
  readonly code: string;
}

export interface ClientOptions {
  /** The signaling WebSocket, e.g. `wss://signal.example.org/signaling`. */
  url: string;
  userId?: string;
  /** A JWT, or a function giving a fresh one at each (re)connect. */
  token?: string | (() => string);
  /** How long connect() keeps trying before it rejects with CONNECT_TIMEOUT (default 10,000). */
  connectTimeoutMs?: number;
}

/** A Switchboard session over WebSocket, kept alive for the page. */
export class SwitchboardClient extends EventTarget {
  constructor(options: ClientOptions);
  /** STUN/TURN servers of the latest welcome, ice_restart_required or ice_servers_updated. */
  iceServers: IceServer[];
  /** The server's id of the current session. */
  sessionId: string;
  on<K extends keyof ClientEvents>(name: K, fn: (detail: ClientEvents[K]) => void): this;
  off<K extends keyof ClientEvents>(name: K, fn: (detail: ClientEvents[K]) => void): this;
  connect(): Promise<Welcome>;
  join(roomId: string): Promise<RoomJoined>;
  leave(roomId: string): Promise<void>;
  sendOffer(roomId: string, targetUserId: string, sdp: string): Promise<Ack>;
  sendAnswer(roomId: string, targetUserId: string, sdp: string): Promise<Ack>;
  sendIceCandidate(roomId: string, targetUserId: string,
                   candidate: RTCIceCandidate | RTCIceCandidateInit): Promise<Ack>;
  reportState(roomId: string, targetUserId: string, pc: RTCPeerConnection): void;
  /** Tells the room's other members which of the page's media are on; they get `peermediachanged`. */
  reportMedia(roomId: string, media: MediaState): void;
  /** Ends the session with bye: peers see the page leave at once. */
  close(): void;
}

export interface PeerSessionOptions {
  roomId: string;
  peerId: string;
  /** True when the page's role towards the peer is NEGOTIATION_ROLE_POLITE. */
  polite: boolean;
  iceServers?: IceServer[];
  configuration?: RTCConfiguration;
}

/** PeerSession's events: 'negotiationerror' and 'icerestartcompleted'. */
export interface NegotiationError { stage: string; error: unknown; }
export interface IceRestartCompleted { attempt: number; tookMs: number; }

/** One RTCPeerConnection to one peer in a room, negotiated through a SwitchboardClient (perfect negotiation). */
export class PeerSession extends EventTarget {
  constructor(client: SwitchboardClient, options: PeerSessionOptions);
  readonly pc: RTCPeerConnection;
  /** Whether the page is the polite side towards this peer (the role the server assigned). */
  readonly polite: boolean;
  /** Stops listening and closes the connection. */
  close(): void;
}

export interface RoomOptions {
  /** For every RTCPeerConnection (the ICE servers are the client's). */
  configuration?: RTCConfiguration;
  /** A data channel of this label with every peer ('data' by default); null for none. */
  dataChannel?: string | null;
}

/** A room's peers, one PeerSession each. Events: peer, track, datachannel, peerleft (see RoomEvents). */
export interface RoomEvents {
  peer: { peerId: string; session: PeerSession };
  track: { peerId: string; track: MediaStreamTrack; streams: readonly MediaStream[] };
  datachannel: { peerId: string; channel: RTCDataChannel };
  peerleft: { peerId: string; reason?: string };
}

export class Room extends EventTarget {
  constructor(client: SwitchboardClient, roomId: string, options?: RoomOptions);
  /** peerId to its PeerSession. */
  readonly peers: Map<string, PeerSession>;
  /** Joins; resolves once a session exists for every member already there. */
  join(): Promise<RoomJoined>;
  /** Sends a stream's tracks to every peer, now and later. */
  addStream(stream: MediaStream): void;
  /** Closes every session and leaves the room. */
  leave(): Promise<void>;
}
