package dev.switchboard.server.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The readable log lines ({@code logging.format: text}): time, level, logger, message, as
 * {@code java.util.logging.SimpleFormatter} would print them with the pattern in {@code logging.properties},
 * except that a message can never span lines. Control characters in a message become escapes
 * ({@link LogText#escapeControl}); only an exception's stack trace, printed after it, has line breaks. Client text
 * is quoted and bounded where it is logged ({@link LogText#quote}); this is the net under that.
 */
public final class TextLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        String message = LogText.escapeControl(formatMessage(record));
        String thrown = "";
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            PrintWriter printer = new PrintWriter(trace);
            printer.println();
            record.getThrown().printStackTrace(printer);
            printer.close();
            thrown = trace.toString();
        }
        ZonedDateTime time = ZonedDateTime.ofInstant(record.getInstant(), ZoneId.systemDefault());
        return String.format("%1$tF %1$tT.%1$tL %2$-7s [%3$s] %4$s%5$s%n", time,
                             record.getLevel().getLocalizedName(), record.getLoggerName(), message, thrown);
    }
}
