package dev.switchboard.server;

import java.util.logging.Handler;
import java.util.logging.Logger;

import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.server.observe.DrainingLogManager;
import dev.switchboard.server.observe.JsonLogFormatter;
import dev.switchboard.server.observe.LogLevels;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;

/**
 * Starts Switchboard with the process's configuration.
 */
public final class Main {
    static {
        // before anything logs: keep the handlers through shutdown, so the drain on SIGTERM is logged
        System.setProperty("java.util.logging.manager", DrainingLogManager.class.getName());
    }

    private static final System.Logger LOG = System.getLogger("switchboard");

    private Main() {
    }

    /**
     * @param args ignored; configure with {@code config/application.yaml}, {@code SWITCHBOARD_CONFIG} or
     *             environment variables
     */
    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Switchboard switchboard;
        try {
            Config config = SwitchboardConfig.load();
            JsonLogFormatter.apply(config);
            LogLevels.apply(config);
            switchboard = Switchboard.start(config);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // a setting is wrong: say which, without a stack trace
            LOG.log(ERROR, "Switchboard cannot start: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            LOG.log(ERROR, "Switchboard cannot start: " + e.getMessage(), e);
            System.exit(1);
            return;
        }
        // SIGTERM (and Ctrl-C): drain first, so clients move to another server with their sessions
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            switchboard.drain();
            switchboard.close();
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                handler.flush();    // the last lines, before the JVM halts
            }
        }, "switchboard-shutdown"));
        LOG.log(INFO, "Switchboard listening on port " + switchboard.port());
    }
}
