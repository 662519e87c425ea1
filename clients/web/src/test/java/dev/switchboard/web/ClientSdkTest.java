package dev.switchboard.web;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import dev.switchboard.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The browser SDK's own promises, in headless Chromium: connect() gives up when no server answers, numbering its
 * attempts, and off() removes what on() added.
 */
class ClientSdkTest {
    @Test
    void connectRejectsAfterItsTimeoutAndNumbersItsAttempts() throws Exception {
        int nobody;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = probe.getLocalPort();      // closed again: nothing listens there
        }
        try (TestServer server = TestServer.start(Map.of());
             Browser page = new Browser()) {
            onServersOrigin(page, server, "page");
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) page.evalAsync("""
                    const done = arguments[arguments.length - 1];
                    import('/client/switchboard.js').then(({ SwitchboardClient }) => {
                      const client = new SwitchboardClient({ url: 'ws://127.0.0.1:%d/signaling',
                                                             connectTimeoutMs: 1500 });
                      const attempts = [];
                      client.on('connection', c => { if (c.event === 'disconnected') attempts.push(c.attempt); });
                      const started = Date.now();
                      client.connect().then(() => done({ error: 'connected' }),
                                            e => done({ code: e.code, ms: Date.now() - started, attempts }));
                    });
                    """.formatted(nobody));
            assertEquals("CONNECT_TIMEOUT", result.get("code"), result.toString());
            long took = ((Number) result.get("ms")).longValue();
            assertTrue(took >= 1400 && took < 10_000, "rejected after " + took + " ms");
            @SuppressWarnings("unchecked")
            List<Number> attempts = (List<Number>) result.get("attempts");
            assertTrue(attempts.size() >= 2, "attempts: " + attempts);
            for (int i = 0; i < attempts.size(); i++) {
                assertEquals(i + 1, attempts.get(i).intValue(), "attempts numbered from 1: " + attempts);
            }
        }
    }

    @Test
    void aPagesOwnJoinIsAnsweredOnceNotAlsoAsAnEvent() {
        try (TestServer server = TestServer.start(Map.of());
             Browser page = new Browser()) {
            onServersOrigin(page, server, "page");
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) page.evalAsync("""
                    const done = arguments[arguments.length - 1];
                    import('/client/switchboard.js').then(async ({ SwitchboardClient }) => {
                      const client = new SwitchboardClient({ url: `ws://${location.host}/signaling`, userId: 'once' });
                      let events = 0;
                      client.on('roomjoined', () => events++);
                      await client.connect();
                      const joined = await client.join('once-room');
                      await client.sendOffer('once-room', 'nobody', 'v=0').catch(() => {});   // a round trip after it
                      done({ room: joined.roomId, events });
                    });
                    """);
            assertEquals("once-room", result.get("room"));
            assertEquals(0L, ((Number) result.get("events")).longValue(), "the join was reported by join() alone");
        }
    }

    @Test
    void aRoomGivesEveryPairADataChannelAndTellsWhoLeft() {
        try (TestServer server = TestServer.start(Map.of("stun.urls", ""));
             Browser alice = new Browser();
             Browser bob = new Browser()) {
            onServersOrigin(alice, server, "alice");
            onServersOrigin(bob, server, "bob");
            String script = """
                    window.got = []; window.left = [];
                    import('/client/switchboard.js').then(async ({ SwitchboardClient, Room }) => {
                      const client = new SwitchboardClient({ url: `ws://${location.host}/signaling`, userId: '%s' });
                      await client.connect();
                      const room = window.room = new Room(client, 'with-room', { dataChannel: 'chat' });
                      room.addEventListener('datachannel', ({ detail: { peerId, channel } }) => {
                        channel.onopen = () => channel.send('hi from %s');
                        channel.onmessage = event => window.got.push(peerId + ': ' + event.data);
                      });
                      room.addEventListener('peerleft', ({ detail }) => window.left.push(detail.peerId));
                      await room.join();
                    });
                    """;
            alice.eval(script.formatted("alice", "alice"));
            bob.eval(script.formatted("bob", "bob"));
            alice.await("window.got.includes('bob: hi from bob')", "bob's message over the room's channel");
            bob.await("window.got.includes('alice: hi from alice')", "alice's message over the room's channel");

            bob.eval("window.room.leave()");
            alice.await("window.left.includes('bob') && !window.room.peers.has('bob')", "bob gone from the room");
        }
    }

    @Test
    void offRemovesWhatOnAdded() {
        try (TestServer server = TestServer.start(Map.of());
             Browser page = new Browser()) {
            onServersOrigin(page, server, "page");
            Object heard = page.evalAsync("""
                    const done = arguments[arguments.length - 1];
                    import('/client/switchboard.js').then(({ SwitchboardClient }) => {
                      const client = new SwitchboardClient({ url: 'ws://127.0.0.1:1/unused' });
                      const heard = [];
                      const listener = detail => heard.push(detail);
                      client.on('peerjoined', listener);
                      client.dispatchEvent(new CustomEvent('peerjoined', { detail: 'first' }));
                      client.off('peerjoined', listener);
                      client.dispatchEvent(new CustomEvent('peerjoined', { detail: 'second' }));
                      done(heard);
                    });
                    """);
            assertEquals(List.of("first"), heard);
        }
    }

    /**
     * Opens a page of the server's origin, from which scripts import /client/switchboard.js (the example page's own
     * client joins a room of its own, apart from what the test does).
     */
    private static void onServersOrigin(Browser browser, TestServer server, String name) {
        browser.open("http://127.0.0.1:" + server.port() + "/example.html?room=origin-" + name
                             + "&user=origin-" + name);
    }
}
