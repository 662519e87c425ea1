// The old gateway's browser code, as the real socket.io-client runs it, against a packaged Switchboard server.
// Started by SocketIoClientIT, which passes the server's URL, its JWT secret, and runs a gRPC peer ("grpc-bot") in
// room "mixed". Every wait has a deadline; nothing sleeps in place of a condition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { io, Manager } from 'socket.io-client';

const URL = process.env.SWITCHBOARD_URL;
const SECRET = process.env.JWT_SECRET;
const WAIT_MS = 10_000;

/** An HS256 JWT for a user, in the claim the old backend used (`sub`, or `id`), with a display name. */
function token(user, claim = 'sub', secret = SECRET) {
  const encode = value => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = { [claim]: user, name: displayName(user), exp: Math.floor(Date.now() / 1000) + 600 };
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** The name a user's token carries, which its room peers see beside its userId. */
function displayName(user) {
  return `User ${user}`;
}

/** The next `event` on a socket that `accept` takes, within the deadline. */
function next(socket, event, accept = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no ${event} within ${WAIT_MS} ms`));
    }, WAIT_MS);
    const listener = data => {
      if (accept(data)) {
        clearTimeout(timer);
        socket.off(event, listener);
        resolve(data);
      }
    };
    socket.on(event, listener);
  });
}

/** Connects as the old frontend does: namespace /webrtc, the token in auth, WebSocket only unless told. */
async function connect(user, options = {}) {
  const socket = io(`${URL}/webrtc`, { auth: { token: token(user) }, transports: ['websocket'], forceNew: true,
                                       ...options });
  const connected = next(socket, 'connected');
  const refused = next(socket, 'connect_error').then(error => { throw error; });
  const { userId } = await Promise.race([connected, refused]);
  refused.catch(() => {});
  assert.equal(userId, user);
  return socket;
}

async function join(socket, roomId) {
  const joined = next(socket, 'joinedRoom', data => data.roomId === roomId);
  socket.emit('joinRoom', { roomId, audio: true, video: true });
  return joined;
}

test('a good token connects, and a bad one gets connect_error with UNAUTHORIZED', async () => {
  const good = await connect('alice-auth');
  assert.ok(good.connected);
  good.disconnect();
  const bad = io(`${URL}/webrtc`, { auth: { token: token('mallory', 'sub', 'another secret, 32 bytes long!!') },
                                    transports: ['websocket'], forceNew: true });
  const error = await next(bad, 'connect_error');
  assert.match(error.message, /token refused/);
  assert.equal(error.data.code, 'UNAUTHORIZED');
  bad.close();
});

test('join, offer, answer and candidate with acks; a duplicate offer is refused as one', async () => {
  const alice = await connect('alice-sig');
  const bob = io(`${URL}/webrtc`, { auth: { token: token('bob-sig', 'id') }, transports: ['websocket'],
                                    forceNew: true });     // the user from the `id` claim, as the old backend
  assert.equal((await next(bob, 'connected')).userId, 'bob-sig');
  await join(alice, 'room-sig');
  const arrived = next(alice, 'userJoined');
  const joined = await join(bob, 'room-sig');
  assert.deepEqual(joined.participants.map(p => p.userId), ['alice-sig']);
  assert.equal(joined.totalParticipants, 2);
  assert.equal(joined.user.name, displayName('bob-sig'), 'profile fields come from the token');
  assert.equal(joined.participants[0].name, displayName('alice-sig'));
  const userJoined = await arrived;
  assert.equal(userJoined.userId, 'bob-sig');
  assert.equal(userJoined.name, displayName('bob-sig'));

  const offer = { roomId: 'room-sig', targetUserId: 'bob-sig', sdp: { type: 'offer', sdp: 'v=0 offer' }, sequence: 7 };
  const relayed = next(bob, 'offer');
  const acked = next(alice, 'offerAck');
  alice.emit('offer', offer);
  const received = await relayed;
  assert.equal(received.fromUserId, 'alice-sig');
  assert.deepEqual(received.sdp, { type: 'offer', sdp: 'v=0 offer' });
  assert.deepEqual(await acked, { success: true, sequence: 7 });

  const duplicate = next(alice, 'offerAck');
  alice.emit('offer', offer);
  assert.deepEqual(await duplicate, { success: false, sequence: 7, reason: 'duplicate_offer' });

  // the old sequence counts per kind: answer 7 is not offer 7's duplicate
  const answered = next(alice, 'answer');
  const answerAck = next(bob, 'answerAck');
  bob.emit('answer', { roomId: 'room-sig', targetUserId: 'alice-sig', sdp: { type: 'answer', sdp: 'v=0 answer' },
                       sequence: 7 });
  assert.equal((await answered).sdp.type, 'answer');
  assert.deepEqual(await answerAck, { success: true, sequence: 7 });

  const candidate = next(alice, 'iceCandidate');
  bob.emit('iceCandidate', { roomId: 'room-sig', targetUserId: 'alice-sig', sequence: 1,
                             candidate: { candidate: 'candidate:1 1 udp 2122260223 10.0.0.2 5000 typ host',
                                          sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' } });
  assert.deepEqual((await candidate).candidate, { candidate: 'candidate:1 1 udp 2122260223 10.0.0.2 5000 typ host',
                                                  sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'abcd' });
  // the guide's snippet sends the SDP text itself, without a sequence
  const plain = next(bob, 'offer', data => data.sdp.sdp === 'v=0 restart');
  alice.emit('offer', { roomId: 'room-sig', targetUserId: 'bob-sig', sdp: 'v=0 restart' });
  assert.equal((await plain).sdp.type, 'offer');
  alice.disconnect();
  bob.disconnect();
});

test('a failed connection: iceRestartRequired to one side, then connectionFailed to both', async () => {
  const alice = await connect('alice-ice');
  const bob = await connect('bob-ice');
  await join(alice, 'room-ice');
  await join(bob, 'room-ice');
  const restarts = [next(alice, 'iceRestartRequired').then(r => ['alice-ice', r]),
                    next(bob, 'iceRestartRequired').then(r => ['bob-ice', r])];
  const failed = [next(alice, 'connectionFailed'), next(bob, 'connectionFailed')];
  alice.emit('connectionStateUpdate', { roomId: 'room-ice', targetUserId: 'bob-ice', connectionState: 'failed',
                                        iceConnectionState: 'failed', iceGatheringState: 'complete' });
  const [told, restart] = await Promise.race(restarts);
  assert.equal(restart.roomId, 'room-ice');
  assert.equal(restart.targetUserId, told === 'alice-ice' ? 'bob-ice' : 'alice-ice');
  const [toAlice, toBob] = await Promise.all(failed);
  assert.deepEqual([toAlice.targetUserId, toAlice.reason], ['bob-ice', 'max_restart_attempts']);
  assert.deepEqual([toBob.targetUserId, toBob.reason], ['alice-ice', 'max_restart_attempts']);
  alice.disconnect();
  bob.disconnect();
});

test('leaving and disconnecting tell the room userLeft', async () => {
  const alice = await connect('alice-bye');
  const bob = await connect('bob-bye');
  const carol = await connect('carol-bye');
  for (const socket of [alice, bob, carol]) {
    await join(socket, 'room-bye');
  }
  const leftRoom = next(bob, 'leftRoom');
  const bobLeft = next(alice, 'userLeft', data => data.userId === 'bob-bye');
  bob.emit('leaveRoom', { roomId: 'room-bye' });
  assert.deepEqual(await leftRoom, { roomId: 'room-bye', success: true });
  assert.equal((await bobLeft).roomId, 'room-bye');

  const carolLeft = next(alice, 'userLeft', data => data.userId === 'carol-bye');
  carol.disconnect();
  assert.equal((await carolLeft).roomId, 'room-bye');
  alice.disconnect();
  bob.disconnect();
});

test('a client that stops answering pings is dropped, and the room told at once', async () => {
  const alice = await connect('alice-ping');
  const mute = await connect('mute-ping', { reconnection: false });
  await join(alice, 'room-ping');
  await join(mute, 'room-ping');
  const engine = mute.io.engine;
  const send = engine._sendPacket.bind(engine);
  engine._sendPacket = (type, ...rest) => (type === 'pong' ? undefined : send(type, ...rest));
  const left = await next(alice, 'userLeft', data => data.userId === 'mute-ping');
  assert.equal(left.reason, 'disconnected');
  mute.close();
  alice.disconnect();
});

test('default transports: polling first, then the upgrade to WebSocket, signaling throughout', async () => {
  const polling = await connect('alice-poll', { transports: ['polling'] });
  const upgrading = await connect('bob-poll', { transports: undefined });
  await join(polling, 'room-poll');
  await join(upgrading, 'room-poll');
  if (upgrading.io.engine.transport.name !== 'websocket') {
    await next(upgrading.io.engine, 'upgrade');
  }
  assert.equal(polling.io.engine.transport.name, 'polling');
  assert.equal(upgrading.io.engine.transport.name, 'websocket');
  for (let i = 1; i <= 20; i++) {
    const relayed = next(upgrading, 'offer', data => data.sdp.sdp === `v=0 ${i}`);
    polling.emit('offer', { roomId: 'room-poll', targetUserId: 'bob-poll', sdp: { type: 'offer', sdp: `v=0 ${i}` },
                            sequence: i });
    await relayed;
    const back = next(polling, 'answer', data => data.sdp.sdp === `v=0 ${i}`);
    upgrading.emit('answer', { roomId: 'room-poll', targetUserId: 'alice-poll',
                               sdp: { type: 'answer', sdp: `v=0 ${i}` }, sequence: i });
    await back;
  }
  polling.disconnect();
  upgrading.disconnect();
});

test('a namespace Switchboard does not serve is refused, and /webrtc on the same connection goes on', async () => {
  const manager = new Manager(URL, { transports: ['websocket'], forceNew: true });
  const chat = manager.socket('/chat');
  const refused = next(chat, 'connect_error');
  const rtc = manager.socket('/webrtc', { auth: { token: token('alice-ns') } });
  assert.equal((await next(rtc, 'connected')).userId, 'alice-ns');
  assert.match((await refused).message, /Invalid namespace/);
  await join(rtc, 'room-ns');
  assert.ok(rtc.connected);
  rtc.disconnect();
  chat.disconnect();
});

test('chat and malformed events get error BAD_REQUEST, and the session goes on', async () => {
  const alice = await connect('alice-bad');
  const chat = next(alice, 'error');
  alice.emit('sendChatMessage', { roomId: 'room-bad', message: 'hi' });
  const error = await chat;
  assert.equal(error.code, 'BAD_REQUEST');
  assert.match(error.message, /chat/);
  const missing = next(alice, 'error');
  alice.emit('offer', { roomId: 'room-bad' });
  assert.equal((await missing).code, 'BAD_REQUEST');
  const notFound = next(alice, 'error');
  alice.emit('offer', { roomId: 'room-bad', targetUserId: 'nobody', sdp: 'v=0' });
  assert.equal((await notFound).code, 'NOT_FOUND');
  await join(alice, 'room-bad');
  alice.disconnect();
});

test('a mixed room: socket.io-client, /signaling and gRPC peers signal each other, each in its own form', async () => {
  const sio = await connect('sio-mix');
  const joined = await join(sio, 'mixed');
  assert.ok(joined.participants.some(p => p.userId === 'grpc-bot'), 'the gRPC peer is in the room');

  // a /signaling peer, as Switchboard's own browser SDK speaks it (proto3 JSON over WebSocket)
  const ws = new WebSocket(`${URL.replace('http', 'ws')}/signaling`);
  const inbox = [];
  const waiters = [];
  ws.onmessage = event => {
    const message = JSON.parse(event.data);
    inbox.push(message);
    waiters.splice(0).forEach(wake => wake());
  };
  const wsNext = async (accept, what) => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const index = inbox.findIndex(accept);
      if (index >= 0) {
        return inbox.splice(index, 1)[0];
      }
      assert.ok(Date.now() < deadline, `the /signaling peer got no ${what}`);
      await new Promise(wake => { waiters.push(wake); setTimeout(wake, 100); });
    }
  };
  await new Promise(resolve => { ws.onopen = resolve; });
  ws.send(JSON.stringify({ hello: { token: token('ws-mix') } }));
  await wsNext(m => m.welcome, 'welcome');
  const sioSeesWs = next(sio, 'userJoined', data => data.userId === 'ws-mix');
  ws.send(JSON.stringify({ join: { roomId: 'mixed' } }));
  await wsNext(m => m.roomJoined, 'roomJoined');
  await sioSeesWs;

  // socket.io-client -> gRPC, answered by the gRPC peer
  const fromGrpc = next(sio, 'answer', data => data.fromUserId === 'grpc-bot');
  sio.emit('offer', { roomId: 'mixed', targetUserId: 'grpc-bot', sdp: { type: 'offer', sdp: 'v=0 to grpc' },
                      sequence: 1 });
  assert.equal((await fromGrpc).sdp.sdp, 'answer to: v=0 to grpc');
  const candidateBack = next(sio, 'iceCandidate', data => data.fromUserId === 'grpc-bot');
  sio.emit('iceCandidate', { roomId: 'mixed', targetUserId: 'grpc-bot', sequence: 1,
                             candidate: { candidate: 'candidate:9 1 udp 1 10.0.0.9 9 typ host', sdpMid: '0',
                                          sdpMLineIndex: 0 } });
  assert.equal((await candidateBack).candidate.candidate, 'candidate:9 1 udp 1 10.0.0.9 9 typ host');

  // socket.io-client <-> /signaling
  sio.emit('offer', { roomId: 'mixed', targetUserId: 'ws-mix', sdp: { type: 'offer', sdp: 'v=0 to ws' }, sequence: 2 });
  const offer = await wsNext(m => m.offer, 'offer');
  assert.deepEqual([offer.offer.fromUserId, offer.offer.sdp], ['sio-mix', 'v=0 to ws']);
  const answer = next(sio, 'answer', data => data.fromUserId === 'ws-mix');
  ws.send(JSON.stringify({ sequence: 1, answer: { roomId: 'mixed', targetUserId: 'sio-mix', sdp: 'v=0 from ws' } }));
  assert.deepEqual((await answer).sdp, { type: 'answer', sdp: 'v=0 from ws' });
  const candidate = next(sio, 'iceCandidate', data => data.fromUserId === 'ws-mix');
  ws.send(JSON.stringify({ sequence: 2, iceCandidate: { roomId: 'mixed', targetUserId: 'sio-mix',
                                                        candidate: 'candidate:2 1 udp 1 10.0.0.2 2 typ host',
                                                        sdpMid: '0', sdpMlineIndex: 0 } }));
  assert.equal((await candidate).candidate.sdpMLineIndex, 0);

  // media toggles reach the other transports as peer_media_changed
  sio.emit('toggleAudio', { roomId: 'mixed', enabled: false });
  const media = await wsNext(m => m.peerMediaChanged, 'peerMediaChanged');
  assert.deepEqual(media.peerMediaChanged, { roomId: 'mixed', userId: 'sio-mix', media: { audio: false } });

  const wsLeft = next(sio, 'userLeft', data => data.userId === 'ws-mix');
  ws.send(JSON.stringify({ bye: {} }));
  await wsLeft;
  sio.disconnect();
});
