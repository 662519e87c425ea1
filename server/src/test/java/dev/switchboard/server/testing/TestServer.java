package dev.switchboard.server.testing;

import java.util.HashMap;
import java.util.Map;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Switchboard server for tests: the built-in defaults plus overrides, on a random loopback port.
 * <p>
 * Either start one for a single test ({@link #start}), or share one across a test class:
 * {@code @RegisterExtension static final TestServer server = TestServer.perClass();}
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> settings = new HashMap<>();
    private Switchboard switchboard;

    private TestServer(Map<String, String> overrides) {
        settings.put("server.host", "127.0.0.1");
        settings.put("server.port", "0");
        settings.put("stun.urls", "stun:127.0.0.1:3478");
        // Test clients send far faster than people do; LimitsTest sets the rate it tests.
        settings.put("limits.rate", "1000000");
        settings.put("limits.burst", "1000000");
        settings.putAll(overrides);
    }

    /**
     * @return a running server with the defaults
     */
    public static TestServer start() {
        return start(Map.of());
    }

    /**
     * @param overrides settings to change, by flat key
     * @return a running server with those settings
     */
    public static TestServer start(Map<String, String> overrides) {
        TestServer server = new TestServer(overrides);
        server.run();
        return server;
    }

    /**
     * @return a server that a test class registers as an extension: started before its tests, stopped after
     */
    public static TestServer perClass() {
        return new TestServer(Map.of());
    }

    /**
     * @param overrides settings to change, by flat key
     * @return a per-class server with those settings
     */
    public static TestServer perClass(Map<String, String> overrides) {
        return new TestServer(overrides);
    }

    /**
     * @return the server's port on 127.0.0.1
     */
    public int port() {
        return switchboard.port();
    }

    /**
     * @return the running server, for what a test does to it (drain)
     */
    public Switchboard switchboard() {
        return switchboard;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        run();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        switchboard.close();
    }

    private void run() {
        switchboard = Switchboard.start(SwitchboardConfig.withOverrides(settings));
    }
}
