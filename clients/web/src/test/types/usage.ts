// Compiled (not run) by NpmPackageTest with tsc --strict: an app's use of the SDK type-checks against switchboard.d.ts.
import { PeerSession, Room, SignalingError, SwitchboardClient } from '../../../switchboard.js';
import type { Ack, ConnectionEvent, RoomJoined } from '../../../switchboard.js';

export async function call(url: string): Promise<void> {
  const client = new SwitchboardClient({ url, userId: 'alice', token: () => 'jwt', connectTimeoutMs: 5000 });
  const onConnection = (event: ConnectionEvent) => console.log(event.event, event.attempt);
  client.on('connection', onConnection).on('offer', offer => console.log(offer.fromUserId, offer.sdp.length));
  client.off('connection', onConnection);
  try {
    await client.connect();
  } catch (error) {
    if (error instanceof SignalingError && error.code === 'CONNECT_TIMEOUT') {
      return;
    }
    throw error;
  }
  const joined: RoomJoined = await client.join('room');
  for (const member of joined.members ?? []) {
    const session = new PeerSession(client, { roomId: 'room', peerId: member.userId,
                                              polite: member.role === 'NEGOTIATION_ROLE_POLITE' });
    session.addEventListener('icerestartcompleted', () => console.log('restarted'));
    session.pc.createDataChannel('chat');
    const name: string | undefined = member.profile?.['name'];
    console.log(name ?? member.userId);
  }
  const ack: Ack = await client.sendOffer('room', 'bob', 'v=0');
  console.log(ack.success, client.sessionId, client.iceServers.length);
  const room = new Room(client, 'room', { dataChannel: 'chat' });
  room.addEventListener('datachannel', event => {
    const { peerId, channel } = (event as CustomEvent<{ peerId: string; channel: RTCDataChannel }>).detail;
    channel.onopen = () => channel.send(`hello ${peerId}`);
  });
  await room.join();
  console.log(room.peers.size);
  await room.leave();
  client.close();
}
