package dev.switchboard.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.switchboard.server.testing.TestServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's example page works as shown: two copies greet each other over a real data channel.
 */
class ExamplePageTest {

    @Test
    void twoExamplePagesGreetEachOther() {
        try (TestServer server = TestServer.start(Map.of("stun.urls", ""));
             Browser alice = new Browser();
             Browser bob = new Browser()) {
            alice.open("http://127.0.0.1:" + server.port() + "/example.html?room=r1&user=alice");
            bob.open("http://127.0.0.1:" + server.port() + "/example.html?room=r1&user=bob");

            alice.await("received.some(m => m.startsWith('bob: hello from '))", "bob's greeting");
            bob.await("received.some(m => m.startsWith('alice: hello from '))", "alice's greeting");
        }
    }

    @Test
    void theReadmeShowsThePage() throws Exception {
        String page = Files.readString(Path.of("demo/example.html")).strip();
        assertTrue(Files.readString(Path.of("README.md")).contains(page), "README.md must show demo/example.html");
    }
}
