package dev.switchboard.server.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
    /** The time as {@code %tF %tT.%tL} prints it; built once, where String.format parsed its pattern per line. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

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
        String level = record.getLevel().getLocalizedName();
        StringBuilder line = new StringBuilder(64 + message.length() + thrown.length());
        TIME.formatTo(ZonedDateTime.ofInstant(record.getInstant(), ZoneId.systemDefault()), line);
        line.append(' ').append(level).repeat(' ', Math.max(0, 7 - level.length()))   // as %-7s pads it
                .append(" [").append(record.getLoggerName()).append("] ").append(message).append(thrown)
                .append(System.lineSeparator());
        return line.toString();
    }
}
