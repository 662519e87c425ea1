package dev.switchboard.server.observe;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager, except that it does not reset (remove and close every handler) when the JVM begins to
 * shut down. The JDK does that from a shutdown hook of its own, which runs alongside Switchboard's: without this,
 * everything the drain on SIGTERM logs ("Draining", "Drained") would be lost. Handlers are flushed instead.
 * <p>
 * Installed by {@code Main} through {@code java.util.logging.manager}, before anything logs.
 */
public final class DrainingLogManager extends LogManager {
    /** Created by the JDK when the property names this class. */
    public DrainingLogManager() {
        super();
    }

    @Override
    public void reset() {
        if (isJvmShuttingDown()) {
            flushAll();
            return;
        }
        super.reset();
    }

    private void flushAll() {
        for (var handler : getLogger("").getHandlers()) {
            handler.flush();
        }
    }

    /** The JVM refuses new shutdown hooks once it is shutting down: the one portable way to ask. */
    private static boolean isJvmShuttingDown() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException shuttingDown) {
            return true;
        }
    }
}
