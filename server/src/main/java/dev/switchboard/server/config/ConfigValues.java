package dev.switchboard.server.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

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

    /**
     * A duration in ISO-8601 form ({@code PT5S}, {@code PT0.25S}) that is not negative.
     *
     * @param node configuration node
     * @return the duration
     * @throws IllegalArgumentException naming the key when the value is not a duration, or negative
     */
    public static Duration duration(Config node) {
        Duration value = typed(node, Duration.class, "an ISO-8601 duration such as PT5S");
        if (value.isNegative()) {
            throw new IllegalArgumentException(node.key() + " must not be negative, but is " + value);
        }
        return value;
    }

    /**
     * A whole number within bounds.
     *
     * @param node configuration node
     * @param min  smallest allowed value
     * @param max  largest allowed value
     * @return the number
     * @throws IllegalArgumentException naming the key when the value is not a number in range
     */
    public static long number(Config node, long min, long max) {
        long value = typed(node, Long.class, "a whole number");
        return checkRange(node, value, min, max, Long::doubleValue);
    }

    /**
     * A whole number within bounds, or {@code auto} for a value the server works out (from the heap, say).
     *
     * @param node configuration node
     * @param min  smallest allowed value
     * @param max  largest allowed value
     * @param auto the value {@code auto} stands for
     * @return the number
     * @throws IllegalArgumentException naming the key when the value is neither {@code auto} nor a number in range
     */
    public static long numberOrAuto(Config node, long min, long max, long auto) {
        if ("auto".equalsIgnoreCase(node.asString().orElse("").trim())) {
            return auto;
        }
        long value = typed(node, Long.class, "auto or a whole number");
        return checkRange(node, value, min, max, Long::doubleValue);
    }

    /**
     * A decimal number within bounds.
     *
     * @param node configuration node
     * @param min  smallest allowed value
     * @param max  largest allowed value
     * @return the number
     * @throws IllegalArgumentException naming the key when the value is not a number in range
     */
    public static double decimal(Config node, double min, double max) {
        double value = typed(node, Double.class, "a number");
        return checkRange(node, value, min, max, Double::doubleValue);
    }

    /**
     * A setting's key and the environment variable that sets it, as messages name them.
     *
     * @param node configuration node
     * @return e.g. {@code session.outbound-queue-limit (SESSION_OUTBOUND_dash_QUEUE_dash_LIMIT)}
     */
    public static String named(Config node) {
        String key = node.key().toString();
        return key + " (" + key.toUpperCase(Locale.ROOT).replace("-", "_dash_").replace('.', '_') + ")";
    }

    private static <T> T typed(Config node, Class<T> type, String expected) {
        try {
            return node.as(type).get();
        } catch (ConfigException e) {
            throw new IllegalArgumentException(named(node) + " must be " + expected + ", but is \""
                                                       + node.asString().orElse("") + "\"", e);
        }
    }

    private static <T extends Number> T checkRange(Config node, T value, double min, double max,
                                                   Function<T, Double> asDouble) {
        double v = asDouble.apply(value);
        if (v < min || v > max) {
            throw new IllegalArgumentException(named(node) + " must be between " + format(min) + " and "
                                                       + format(max) + ", but is " + value);
        }
        return value;
    }

    private static String format(double bound) {
        return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString((long) bound)
                : Double.toString(bound);
    }
}
