package dev.switchboard.server.limits;

/** Sizes of text as it goes on the wire: limits are in bytes, which is what a client pays and a server holds. */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * @param text     text as decoded from the wire
     * @param maxBytes the limit
     * @return whether its UTF-8 encoding is longer than {@code maxBytes}, computed without encoding it
     */
    public static boolean exceeds(String text, int maxBytes) {
        int chars = text.length();
        if (chars > maxBytes) {
            return true;                // every char takes at least one byte
        }
        if ((long) chars * 3 <= maxBytes) {
            return false;               // no char takes more than three (a surrogate pair: four for two chars)
        }
        long bytes = 0;
        for (int i = 0; i < chars; i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
            if (bytes > maxBytes) {
                return true;
            }
        }
        return false;
    }
}
