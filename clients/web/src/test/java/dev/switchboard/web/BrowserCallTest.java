package dev.switchboard.web;

import java.util.Map;

import dev.switchboard.server.testing.TcpProxy;
import dev.switchboard.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Real WebRTC through the gateway: two demo pages in headless Chromium join a room with the browser SDK, a real
 * RTCPeerConnection connects over loopback, and data-channel messages arrive; the call survives a dropped signaling
 * connection, and a forced ICE restart completes with a new ICE username fragment.
 */
class BrowserCallTest {
    /** No STUN: the pages are on one machine, host candidates are enough, nothing leaves loopback. */
    private static final Map<String, String> SETTINGS = Map.of("stun.urls", "");

    @Test
    void twoPagesConnectAndTalkOverADataChannel() {
        try (TestServer server = TestServer.start(SETTINGS);
             Browser alice = new Browser();
             Browser bob = new Browser()) {
            call(server.port(), alice, "", bob);
            assertEquals("impolite", alice.eval("return demo.peers.get('bob').role"));
            assertEquals("polite", bob.eval("return demo.peers.get('alice').role"));

            assertEquals(1L, alice.eval("return demo.send('hello bob')"));
            bob.await("demo.messages.some(m => m.from === 'alice' && m.text === 'hello bob')", "alice's message");
            assertEquals(1L, bob.eval("return demo.send('hello alice')"));
            alice.await("demo.messages.some(m => m.from === 'bob' && m.text === 'hello alice')", "bob's message");
        }
    }

    @Test
    void theCallSurvivesADroppedSignalingConnection() throws Exception {
        try (TestServer server = TestServer.start(SETTINGS);
             TcpProxy proxy = new TcpProxy(server.port());
             Browser alice = new Browser();
             Browser bob = new Browser()) {
            call(server.port(), alice, "ws://127.0.0.1:" + proxy.port() + "/signaling", bob);
            String session = (String) alice.eval("return demo.client.sessionId");

            proxy.cutAll();

            alice.await("demo.events.some(e => e.startsWith('signaling disconnected'))", "the drop noticed");
            alice.await("demo.events.some(e => e.startsWith('signaling resumed'))", "the session resumed");
            assertEquals(session, alice.eval("return demo.client.sessionId"), "the same session");
            assertEquals("connected", alice.eval("return demo.peers.get('bob').session.pc.connectionState"));
            assertEquals(1L, alice.eval("return demo.send('still here')"));
            bob.await("demo.messages.some(m => m.text === 'still here')", "the message after the drop");
            assertFalse((Boolean) bob.eval("return demo.events.some(e => e.startsWith('alice left'))"),
                        "bob never saw alice leave");
        }
    }

    @Test
    void theDemoShowsTheServersViewMutesItsOwnPreviewAndLabelsVideos() {
        try (TestServer server = TestServer.start(SETTINGS);
             Browser alice = new Browser();
             Browser bob = new Browser()) {
            call(server.port(), alice, "", bob);
            assertEquals("?room=r1&user=bob", alice.eval("return document.getElementById('hint-bob').textContent"));
            alice.await("document.getElementById('peers').textContent.includes('connected')"
                                + " && [...document.querySelectorAll('#peers td:last-child')]"
                                + ".some(td => td.textContent.startsWith('connected'))",
                        "the server's view of the pair: connected");

            alice.eval("document.getElementById('camera').click()");
            alice.await("document.getElementById('video-alice')?.muted === true", "a muted local preview");
            assertEquals("alice (you)", alice.eval("return document.querySelector('#figure-alice figcaption').textContent"));
            bob.await("document.querySelector('#figure-alice figcaption')?.textContent === 'alice'",
                      "alice's video, labelled, on bob's page");
        }
    }

    @Test
    void aPageThatClosesSaysByeAndItsPeerSeesItLeaveAtOnce() {
        // a resume window longer than the test's wait: only the page's bye can make bob leave in time
        try (TestServer server = TestServer.start(Map.of("stun.urls", "", "resume.window", "PT120S"));
             Browser alice = new Browser();
             Browser bob = new Browser()) {
            call(server.port(), alice, "", bob);
            bob.open("about:blank");    // navigates away: pagehide

            alice.await("demo.events.some(e => e === 'bob left (PEER_LEFT_REASON_LEFT)')", "bob leaving at once");
        }
    }

    @Test
    void aForcedIceRestartCompletesWithANewUfragAndTheChannelStillWorks() {
        try (TestServer server = TestServer.start(Map.of("stun.urls", "", "recovery.backoff", "PT20S"));
             Browser alice = new Browser();
             Browser bob = new Browser()) {
            call(server.port(), alice, "", bob);
            String ufragBefore = localUfrag(alice);

            // bob's side reports the pair failed, as a real RTCPeerConnection would; alice (impolite) is asked
            bob.eval("demo.client.reportState('r1', 'alice', {connectionState: 'failed', "
                             + "iceConnectionState: 'failed', iceGatheringState: 'complete'})");

            alice.await("demo.events.some(e => e.startsWith('ICE restart towards bob'))", "ice_restart_required");
            alice.await("demo.peers.get('bob').session.pc.localDescription.sdp.indexOf('a=ice-ufrag:"
                                + ufragBefore + "') < 0"
                                + " && demo.peers.get('bob').session.pc.signalingState === 'stable'",
                        "a completed ICE-restart negotiation");
            alice.await("demo.peers.get('bob').session.pc.connectionState === 'connected'", "connected again");
            alice.await("demo.events.some(e => e.startsWith('ICE restart with bob completed (attempt 1'))",
                        "the SDK's icerestartcompleted event");
            assertNotEquals(ufragBefore, localUfrag(alice));
            assertEquals(1L, alice.eval("return demo.send('after the restart')"));
            bob.await("demo.messages.some(m => m.text === 'after the restart')", "the message after the restart");
        }
    }

    /**
     * Alice's and bob's demo pages in room r1, until their data channel is open at both ends.
     *
     * @param aliceSignaling alice's signaling WebSocket URL, empty for the server's own
     */
    private static void call(int port, Browser alice, String aliceSignaling, Browser bob) {
        alice.open(page(port, "alice", aliceSignaling));
        bob.open(page(port, "bob", ""));
        awaitChannelOpen(alice, "bob");
        awaitChannelOpen(bob, "alice");
    }

    private static String page(int port, String user, String signaling) {
        return "http://127.0.0.1:" + port + "/?room=r1&user=" + user
                + (signaling.isEmpty() ? "" : "&signaling=" + signaling);
    }

    private static void awaitChannelOpen(Browser browser, String peer) {
        browser.await("demo.peers.get('" + peer + "')?.channel?.readyState === 'open'",
                      "an open data channel to " + peer);
    }

    private static String localUfrag(Browser browser) {
        return (String) browser.eval("return demo.peers.get('bob').session.pc.localDescription.sdp"
                                             + ".match(/a=ice-ufrag:(\\S+)/)[1]");
    }
}
