// The demo page: joins the room named in the URL, opens an RTCPeerConnection and a data channel to every peer
// through the browser SDK, and shows the signaling and connection states live. window.demo exposes its state
// (used by the browser tests).
import { SwitchboardClient, Room } from '/client/switchboard.js';

const params = new URLSearchParams(location.search);
const roomId = params.get('room') || 'demo';
const userId = params.get('user') || 'guest-' + Math.random().toString(36).slice(2, 8);
const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const url = params.get('signaling') || `${scheme}//${location.host}/signaling`;

const client = new SwitchboardClient({ url, userId, token: params.get('token') || '' });
const peers = new Map();   // peerId -> { session, channel, role }
const demo = window.demo = { client, peers, messages: [], events: [], roomId, userId, localStream: null };

document.getElementById('room').textContent = roomId;
document.getElementById('user').textContent = userId;
document.getElementById('hint-alice').textContent = `?room=${roomId}&user=alice`;
document.getElementById('hint-bob').textContent = `?room=${roomId}&user=bob`;
const serverView = new Map();   // peerId -> the server's monitoring of the pair (health, restart attempt)

function log(line) {
  demo.events.push(line);
  const element = document.getElementById('log');
  element.textContent += new Date().toISOString().slice(11, 23) + ' ' + line + '\n';
  element.scrollTop = element.scrollHeight;
}

function render() {
  const rows = [...peers].map(([peerId, peer]) => {
    const pc = peer.session.pc;
    const view = serverView.get(peerId);
    const server = view ? `${view.health.replace('PAIR_HEALTH_', '').toLowerCase()}`
      + (view.restartAttempt ? `, restart ${view.restartAttempt}` : '') : '-';
    return `<tr><td>${peerId}</td><td>${peer.role}</td><td class="state-${pc.connectionState}">${pc.connectionState}</td>`
      + `<td>${pc.iceConnectionState}</td><td>${pc.iceGatheringState}</td><td>${peer.channel?.readyState ?? '-'}</td>`
      + `<td>${server}</td></tr>`;
  });
  document.getElementById('peers').innerHTML = rows.join('');
}

function wireChannel(peerId, channel) {
  peers.get(peerId).channel = channel;
  channel.onopen = () => { log(`data channel to ${peerId} open`); render(); };
  channel.onclose = () => { log(`data channel to ${peerId} closed`); render(); };
  channel.onmessage = event => {
    demo.messages.push({ from: peerId, text: event.data });
    log(`${peerId}: ${event.data}`);
  };
}

// The room keeps one PeerSession per member, with the roles the server assigned, a data channel with each, and the
// local stream sent to every peer; the page only shows what comes out of it.
const room = new Room(client, roomId, { dataChannel: 'chat' });
room.addEventListener('peer', ({ detail: { peerId, session } }) => {
  peers.set(peerId, { session, role: session.polite ? 'polite' : 'impolite', channel: null });
  session.addEventListener('icerestartcompleted', ({ detail }) =>
    log(`ICE restart with ${peerId} completed (attempt ${detail.attempt}, ${detail.tookMs} ms)`));
  session.addEventListener('negotiationerror', ({ detail }) => log(`negotiation with ${peerId}: ${detail.stage} failed`));
  const pc = session.pc;
  const states = { connectionstatechange: 'connectionState', iceconnectionstatechange: 'iceConnectionState',
    icegatheringstatechange: 'iceGatheringState' };
  Object.entries(states).forEach(([event, state]) => pc.addEventListener(event, () => {
    log(`${peerId}: ${state} ${pc[state]}`);
    render();
  }));
  render();
});
room.addEventListener('datachannel', ({ detail: { peerId, channel } }) => wireChannel(peerId, channel));
room.addEventListener('track', ({ detail: { peerId, streams } }) => showVideo(peerId, streams[0]));
room.addEventListener('peerleft', ({ detail: { peerId } }) => {
  peers.delete(peerId);
  document.getElementById('figure-' + peerId)?.remove();
  render();
});

function showVideo(peerId, stream) {
  let video = document.getElementById('video-' + peerId);
  if (!video) {
    // the page's own preview is muted: its user must not hear their own microphone
    video = Object.assign(document.createElement('video'),
                          { id: 'video-' + peerId, autoplay: true, playsInline: true, muted: peerId === userId });
    const figure = document.createElement('figure');
    figure.id = 'figure-' + peerId;
    figure.append(video, Object.assign(document.createElement('figcaption'),
                                       { textContent: peerId === userId ? `${peerId} (you)` : peerId }));
    document.getElementById('videos').append(figure);
  }
  video.srcObject = stream;
}

// The server's view of each pair (GET /webrtc/rooms/{room}/connections; open while no admin token is set).
async function pollServerView() {
  try {
    const response = await fetch(`/webrtc/rooms/${encodeURIComponent(roomId)}/connections`);
    if (response.ok) {
      const { pairs = [] } = await response.json();
      serverView.clear();
      pairs.filter(pair => pair.firstUserId === userId || pair.secondUserId === userId)
        .forEach(pair => serverView.set(pair.firstUserId === userId ? pair.secondUserId : pair.firstUserId, pair));
      render();
    }
  } catch (error) {
    // the next poll tries again
  }
  setTimeout(pollServerView, 2000);
}
pollServerView();

client.on('connection', ({ event, detail }) => {
  document.getElementById('signaling').textContent = event;
  document.getElementById('session').textContent = client.sessionId;
  log(`signaling ${event}: ${detail}`);
});
const joinedRoom = joined =>
  log(`joined ${joined.roomId} with ${(joined.members ?? []).map(m => m.userId).join(', ') || 'nobody yet'}`);
client.on('roomjoined', joinedRoom);    // rejoined by the SDK after a new session
client.on('peerjoined', joined => log(`${joined.userId} joined`));
client.on('peerleft', left => log(`${left.userId} left (${left.reason})`));
client.on('offer', offer => log(`offer from ${offer.fromUserId}`));
client.on('answer', answer => log(`answer from ${answer.fromUserId}`));
client.on('icerestartrequired', restart => log(`ICE restart towards ${restart.targetUserId} (attempt ${restart.attempt}, ${restart.reason})`));
client.on('icerestartfailed', failed => log(`ICE restart towards ${failed.targetUserId} gave up`));
client.on('error', error => log(`error ${error.code}: ${error.message}`));

document.getElementById('chat').onsubmit = event => {
  event.preventDefault();
  const input = document.getElementById('text');
  demo.send(input.value);
  input.value = '';
};
demo.send = text => {
  let sent = 0;
  peers.forEach(peer => { if (peer.channel?.readyState === 'open') { peer.channel.send(text); sent++; } });
  log(`me: ${text} (to ${sent})`);
  return sent;
};

document.getElementById('camera').onclick = async () => {
  try {
    demo.localStream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    showVideo(userId, demo.localStream);
    room.addStream(demo.localStream);   // to every peer, and to those who join later
  } catch (error) {
    log(`camera unavailable: ${error.message}`);
  }
};

client.connect()
  .then(() => room.join())
  .then(joinedRoom)
  .catch(error => log(`could not join: ${error.message}`));
