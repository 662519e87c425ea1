package dev.switchboard.server.observe;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * Log levels set without editing logging.properties: {@code logging.levels.<logger>: <level>} in the
 * configuration, so also by environment variable ({@code LOGGING_LEVELS_SWITCHBOARD_RELAY=FINE}) or system
 * property ({@code -Dlogging.levels.switchboard.relay=FINE}); and, as java.util.logging users expect,
 * {@code -D<logger>.level=<level>} ({@code -Dswitchboard.relay.level=FINE}). Levels are java.util.logging's
 * ({@code SEVERE}, {@code WARNING}, {@code INFO}, {@code FINE}, {@code FINER}, {@code FINEST}, {@code OFF},
 * {@code ALL}) or the usual aliases ({@code ERROR}, {@code WARN}, {@code DEBUG}, {@code TRACE}).
 */
public final class LogLevels {
    private static final Map<String, Level> ALIASES = Map.of("ERROR", Level.SEVERE, "WARN", Level.WARNING,
                                                             "DEBUG", Level.FINE, "TRACE", Level.FINEST);

    /** Loggers keep their level only while referenced: these are held for the process's life. */
    private static final Map<String, Logger> CONFIGURED = new ConcurrentHashMap<>();

    private LogLevels() {
    }

    /**
     * Applies the levels the configuration and the system properties set.
     *
     * @param config root configuration
     * @throws IllegalArgumentException naming the setting when a level is not one
     */
    public static void apply(Config config) {
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.endsWith(".level") && !name.startsWith("logging.levels."))
                .forEach(name -> set(name.substring(0, name.length() - ".level".length()),
                                     System.getProperty(name), "-D" + name));
        Config levels = config.get("logging.levels");
        levels.traverse().filter(Config::isLeaf).forEach(node -> set(
                node.key().toString().substring("logging.levels.".length()),
                node.asString().orElse(""), ConfigValues.named(node)));
    }

    private static void set(String logger, String level, String setting) {
        Logger target = Logger.getLogger(logger);
        target.setLevel(parse(level.trim(), setting));
        CONFIGURED.put(logger, target);
    }

    private static Level parse(String level, String setting) {
        String upper = level.toUpperCase(Locale.ROOT);
        Level alias = ALIASES.get(upper);
        if (alias != null) {
            return alias;
        }
        try {
            return Level.parse(upper);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " must be a log level (SEVERE, WARNING, INFO, FINE, FINER, "
                    + "FINEST, OFF, ALL, or ERROR, WARN, DEBUG, TRACE), but is \"" + level + "\"");
        }
    }
}
