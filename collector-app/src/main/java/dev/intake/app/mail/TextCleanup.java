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

    /** A body: line ends become {@code \n}; tabs and line breaks stay, other control characters become U+FFFD. */
    static String body(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                out.append('\n');
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (c == '\n' || c == '\t') {
                out.append(c);
            } else if (Character.isISOControl(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
