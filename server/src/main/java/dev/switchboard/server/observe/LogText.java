package dev.switchboard.server.observe;

/**
 * Text a client chose (a client name, a header, a refused token's detail) made safe for a log line: cut to a
 * bound, control and non-ASCII characters escaped, quoted. A newline in a client name must never start a forged
 * log line, and a 64 KiB client name must never become a 64 KiB log line.
 */
public final class LogText {
    /** Characters of client text kept in a log line. */
    public static final int MAX_CHARS = 64;

    private LogText() {
    }

    /**
     * @param clientText text a client sent, or null
     * @return it in double quotes, at most {@value #MAX_CHARS} characters of it (then {@code ...}), with quotes,
     *         backslashes, control and non-ASCII characters as {@code \}-escapes
     */
    public static String quote(String clientText) {
        if (clientText == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder(Math.min(clientText.length(), MAX_CHARS) + 8).append('"');
        escape(clientText, 0, Math.min(clientText.length(), MAX_CHARS), quoted);
        if (clientText.length() > MAX_CHARS) {
            quoted.append("...");
        }
        return quoted.append('"').toString();
    }

    /**
     * Escapes every character that could end or disguise a log line: control characters (a newline above all),
     * and everything outside printable ASCII.
     *
     * @param text the text
     * @return it with such characters as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}
     */
    public static String escapeControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!printable(text.charAt(i))) {
                StringBuilder escaped = new StringBuilder(text.length() + 16);
                escaped.append(text, 0, i);
                escape(text, i, text.length(), escaped);
                return escaped.toString();
            }
        }
        return text;
    }

    private static void escape(String text, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (printable(c)) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
    }

    private static boolean printable(char c) {
        return c >= 0x20 && c < 0x7f;
    }
}
