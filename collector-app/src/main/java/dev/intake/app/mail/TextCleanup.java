package dev.intake.app.mail;

/**
 * Makes decoded text safe to store and show. Control characters have no business in a ticket, and NUL in
 * particular is refused by PostgreSQL text columns, so one stray byte would otherwise fail a whole transaction.
 */
final class TextCleanup {

    private static final char REPLACEMENT = '\uFFFD';

    private TextCleanup() {
    }

    /** One line: line breaks and control characters become spaces, runs of white space one space, trimmed. */
    static String line(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '\u00A0') {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * A body: line ends become {@code \n}; tabs and line breaks stay, other control characters become U+FFFD. Text
     * with nothing to change is returned as it is; otherwise the runs between changes are copied whole, since a
     * character-by-character copy of every body was a twentieth of parsing's CPU.
     */
    static String body(String text) {
        int length = text.length();
        int first = 0;
        while (first < length && !needsCare(text.charAt(first))) {
            first++;
        }
        if (first == length) {
            return text;
        }
        StringBuilder out = new StringBuilder(length);
        int runStart = 0;
        for (int i = first; i < length; i++) {
            char c = text.charAt(i);
            if (!needsCare(c)) {
                continue;
            }
            out.append(text, runStart, i);
            if (c == '\r') {
                out.append('\n');
                if (i + 1 < length && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else {
                out.append(REPLACEMENT);
            }
            runStart = i + 1;
        }
        return out.append(text, runStart, length).toString();
    }

    /** A carriage return, or a control character (U+0000-U+001F, U+007F-U+009F) other than a line feed or a tab. */
    private static boolean needsCare(char c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F);
    }
}
