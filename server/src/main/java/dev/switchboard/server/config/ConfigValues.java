package dev.switchboard.server.config;

import java.util.Arrays;
import java.util.List;

import io.helidon.config.Config;

/**
 * Reads values that may come from YAML or from an environment variable, where lists arrive as one
 * comma-separated string.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /**
     * A list of strings: a YAML list, or one comma-separated value (as an environment variable gives it).
     * Blank entries are dropped, so an empty string means an empty list.
     *
     * @param node configuration node
     * @return its entries, trimmed
     */
    public static List<String> stringList(Config node) {
        if (node.isList()) {
            return node.asList(String.class).get().stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        return Arrays.stream(node.asString().orElse("").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /**
     * A string that must be present (it is, for every key in the built-in defaults); blank counts as empty.
     *
     * @param node configuration node
     * @return the trimmed value, possibly empty
     */
    public static String string(Config node) {
        return node.asString().get().trim();
    }
}
