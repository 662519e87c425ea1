package dev.switchboard.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;

/**
 * Loads Switchboard's configuration.
 * <p>
 * Precedence, highest first: environment variables (Helidon's mapping, so {@code SERVER_PORT} overrides
 * {@code server.port}), Java system properties, the file named by {@code SWITCHBOARD_CONFIG} (or
 * {@code config/application.yaml} in the working directory when that exists), and finally the defaults built
 * into the jar, which are a copy of the repository's {@code config/application.yaml}. Every key therefore has a
 * value, and a settings record that reads one never needs a default of its own.
 */
public final class SwitchboardConfig {
    /** Environment variable naming the configuration file to read. */
    public static final String CONFIG_FILE_ENV = "SWITCHBOARD_CONFIG";
    /** The repository's configuration file, read when the server starts from the repository root. */
    public static final Path DEFAULT_CONFIG_FILE = Path.of("config", "application.yaml");
    /** Classpath copy of {@link #DEFAULT_CONFIG_FILE}: the built-in defaults. */
    static final String BUILT_IN_DEFAULTS = "switchboard/application.yaml";

    private SwitchboardConfig() {
    }

    /**
     * The configuration of this process: environment, system properties, config file, built-in defaults.
     *
     * @return the configuration
     * @throws IllegalStateException when {@code SWITCHBOARD_CONFIG} names a file that does not exist
     */
    public static Config load() {
        List<Supplier<? extends ConfigSource>> sources = new ArrayList<>();
        sources.add(ConfigSources.environmentVariables());
        sources.add(ConfigSources.systemProperties());
        configFile(System.getenv(CONFIG_FILE_ENV)).ifPresent(file -> sources.add(ConfigSources.file(file)));
        sources.add(ConfigSources.classpath(BUILT_IN_DEFAULTS));
        return build(sources);
    }

    /**
     * The built-in defaults with the given keys overridden; for tests and embedding.
     *
     * @param overrides flat keys such as {@code server.port} and their values
     * @return the configuration
     */
    public static Config withOverrides(Map<String, String> overrides) {
        return build(List.of(ConfigSources.create(overrides), ConfigSources.classpath(BUILT_IN_DEFAULTS)));
    }

    private static Config build(List<Supplier<? extends ConfigSource>> sources) {
        return Config.builder()
                .sources(sources)
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
    }

    private static Optional<Path> configFile(String named) {
        if (named != null && !named.isBlank()) {
            Path file = Path.of(named);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(CONFIG_FILE_ENV + " names " + file.toAbsolutePath()
                                                        + ", which is not a readable file");
            }
            return Optional.of(file);
        }
        return Files.isRegularFile(DEFAULT_CONFIG_FILE) ? Optional.of(DEFAULT_CONFIG_FILE) : Optional.empty();
    }
}
