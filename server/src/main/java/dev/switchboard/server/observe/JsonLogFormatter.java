package dev.switchboard.server.observe;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.switchboard.server.config.ConfigValues;
import io.helidon.config.Config;

/**
 * JSON lines for log shippers ({@code logging.format: json}): one object per record with {@code time},
 * {@code level}, {@code logger}, {@code thread}, {@code message} and, for a failure, {@code exception} (its stack
 * trace). Written with Jackson, so any message is escaped correctly.
 */
public final class JsonLogFormatter extends Formatter {
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * Switches every handler of the root logger to JSON lines when {@code logging.format} is {@code json}.
     *
     * @param config root configuration
     * @throws IllegalArgumentException when {@code logging.format} is neither {@code text} nor {@code json}
     */
    public static void apply(Config config) {
        String format = ConfigValues.string(config.get("logging.format"));
        switch (format) {
            case "text" -> {
                // logging.properties as it is
            }
            case "json" -> {
                for (Handler handler : Logger.getLogger("").getHandlers()) {
                    handler.setFormatter(new JsonLogFormatter());
                }
            }
            default -> throw new IllegalArgumentException("logging.format (LOGGING_FORMAT) must be text or json, "
                                                                  + "but is \"" + format + "\"");
        }
    }

    @Override
    public String format(LogRecord record) {
        StringWriter line = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("time", Instant.ofEpochMilli(record.getMillis()).toString());
            json.writeStringField("level", record.getLevel().getName());
            json.writeStringField("logger", record.getLoggerName());
            json.writeStringField("thread", Thread.currentThread().getName());
            json.writeStringField("message", formatMessage(record));
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                json.writeStringField("exception", trace.toString());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.append(System.lineSeparator()).toString();
    }
}
