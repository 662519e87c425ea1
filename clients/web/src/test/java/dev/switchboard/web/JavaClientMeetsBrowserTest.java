package dev.switchboard.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.switchboard.client.ConnectionEvent;
import dev.switchboard.client.SignalingListener;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.server.testing.TcpProxy;
import dev.switchboard.server.testing.TestServer;
import dev.switchboard.signaling.v1.IceCandidate;
import dev.switchboard.signaling.v1.Offer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Java SDK on one side of a real call, the browser SDK on the other. Alice is the demo page (WebSocket).
 * Bob's signaling is the Java SDK over gRPC, through a proxy the test can cut; bob's WebRTC engine is a bare
 * RTCPeerConnection in a second Chromium page, which only this test talks to. Offers, answers and candidates cross
 * the gateway between the two transports; the call connects, survives bob's gRPC connection being cut while an ICE
 * restart offer is on its way, and its data channel carries messages before and after.
 */
class JavaClientMeetsBrowserTest {
    private static final Duration WAIT = Browser.TIMEOUT;

    @Test
    void aJavaClientAndABrowserPageConnectAndRenegotiateAcrossAResume() throws Exception {
        LinkedBlockingQueue<Object> toBob = new LinkedBlockingQueue<>();
        try (TestServer server = TestServer.start(Map.of("stun.urls", ""));
             TcpProxy proxy = new TcpProxy(server.port());
             Browser alice = new Browser();
             Browser bobEngine = new Browser();
             SwitchboardClient bob = SwitchboardClient.builder()
                     .target("127.0.0.1", proxy.port())
                     .userId("bob")
                     .listener(new SignalingListener() {
                         @Override
                         public void onOffer(Offer offer) {
                             toBob.add(offer);
                         }

                         @Override
                         public void onIceCandidate(IceCandidate candidate) {
                             toBob.add(candidate);
                         }

                         @Override
                         public void onConnectionChanged(ConnectionEvent event, String detail) {
                             toBob.add(event);
                         }
                     })
                     .build()) {
            bobEngine.open("http://127.0.0.1:" + server.port() + "/client/switchboard.js");
            bobEngine.eval("""
                    window.pc = new RTCPeerConnection();
                    window.outbox = [];
                    window.messages = [];
                    pc.onicecandidate = e => {
                      if (e.candidate && e.candidate.candidate) outbox.push(e.candidate.toJSON());
                    };
                    pc.ondatachannel = e => {
                      window.channel = e.channel;
                      e.channel.onmessage = m => messages.push(m.data);
                    };
                    """);
            bob.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            bob.join("r1").get(WAIT.toSeconds(), TimeUnit.SECONDS);
            alice.open("http://127.0.0.1:" + server.port() + "/?room=r1&user=alice");

            Bridge bridge = new Bridge(bob, bobEngine, toBob);
            bridge.pumpUntil("window.channel && channel.readyState === 'open' && pc.connectionState === 'connected'",
                             "bob's end of alice's data channel open");
            alice.await("demo.peers.get('bob')?.channel?.readyState === 'open'", "alice's data channel open");
            alice.eval("demo.send('hello from the browser')");
            bridge.pumpUntil("messages.includes('hello from the browser')", "alice's message at bob");
            bobEngine.eval("channel.send('hello from the java side')");
            alice.await("demo.messages.some(m => m.text === 'hello from the java side')", "bob's message at alice");

            // cut bob's gRPC connection, and have alice restart ICE meanwhile: her new offer waits in bob's session
            String ufrag = (String) bobEngine.eval("return pc.remoteDescription.sdp.match(/a=ice-ufrag:(\\S+)/)[1]");
            proxy.cutAll();
            alice.eval("demo.peers.get('bob').session.pc.restartIce()");
            bridge.pumpUntil("pc.remoteDescription.sdp.indexOf('a=ice-ufrag:" + ufrag + "') < 0 "
                                     + "&& pc.signalingState === 'stable' && pc.connectionState === 'connected'",
                             "the ICE restart offer, delivered after the resume, answered and connected");
            assertTrue(bridge.events.contains(ConnectionEvent.DISCONNECTED), "bob's connection was cut");
            assertTrue(bridge.events.contains(ConnectionEvent.RESUMED), "and resumed: " + bridge.events);
            assertFalse(bridge.events.contains(ConnectionEvent.NEW_SESSION));
            assertEquals(2, bridge.offers, "alice's first offer and her restart offer, each once");

            alice.eval("demo.send('after the resume')");
            bridge.pumpUntil("messages.includes('after the resume')", "a message after the resume");
            assertFalse((Boolean) alice.eval("return demo.events.some(e => e.startsWith('bob left'))"));
        }
    }

    /**
     * Carries signaling between bob's Java client and bob's RTCPeerConnection page, on the test thread (the driver is
     * not thread-safe): offers are answered by the page, candidates go both ways.
     */
    private static final class Bridge {
        private final SwitchboardClient client;
        private final Browser engine;
        private final LinkedBlockingQueue<Object> inbound;
        private final List<ConnectionEvent> events = new ArrayList<>();
        private int offers;

        Bridge(SwitchboardClient client, Browser engine, LinkedBlockingQueue<Object> inbound) {
            this.client = client;
            this.engine = engine;
            this.inbound = inbound;
        }

        void pumpUntil(String condition, String what) throws Exception {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!engine.holds(condition)) {
                if (System.nanoTime() > deadline) {
                    fail("never " + what + " within " + WAIT + " (" + condition + ")");
                }
                Object event = inbound.poll(50, TimeUnit.MILLISECONDS);
                if (event instanceof Offer offer) {
                    offers++;
                    String answer = (String) engine.evalAsync("""
                            const done = arguments[arguments.length - 1];
                            pc.setRemoteDescription({type: 'offer', sdp: arguments[0]})
                              .then(() => pc.setLocalDescription())
                              .then(() => done(pc.localDescription.sdp), e => done('failed: ' + e));
                            """, offer.getSdp());
                    assertTrue(answer.startsWith("v=0"), answer);
                    client.sendAnswer(offer.getRoomId(), offer.getFromUserId(), answer);
                } else if (event instanceof IceCandidate candidate) {
                    engine.eval("pc.addIceCandidate({candidate: arguments[0], sdpMid: arguments[1], "
                                        + "sdpMLineIndex: arguments[2], usernameFragment: arguments[3]})",
                                candidate.getCandidate(), candidate.getSdpMid(), candidate.getSdpMlineIndex(),
                                candidate.getUsernameFragment());
                } else if (event instanceof ConnectionEvent connection) {
                    events.add(connection);
                }
                sendPageCandidates();
            }
        }

        @SuppressWarnings("unchecked")
        private void sendPageCandidates() {
            List<Map<String, Object>> fresh = (List<Map<String, Object>>) engine.eval("return outbox.splice(0)");
            for (Map<String, Object> init : fresh) {
                IceCandidate.Builder candidate = IceCandidate.newBuilder()
                        .setCandidate((String) init.get("candidate"))
                        .setSdpMid(String.valueOf(init.getOrDefault("sdpMid", "")))
                        .setUsernameFragment(String.valueOf(init.getOrDefault("usernameFragment", "")));
                if (init.get("sdpMLineIndex") instanceof Number index) {
                    candidate.setSdpMlineIndex(index.intValue());
                }
                client.sendIceCandidate("r1", "alice", candidate.build());
            }
        }
    }
}
