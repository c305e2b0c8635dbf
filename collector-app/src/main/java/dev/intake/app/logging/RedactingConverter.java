package dev.intake.app.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %redacted}: the formatted message, passed through {@link Redaction}, on one line. Line breaks and other
 * control characters in it are written escaped ({@code \n}, {@code \u001b}): a value from outside (an OAuth
 * callback's {@code error}, an account name from an ID token, a mail header) must not forge log lines of its own.
 */
public final class RedactingConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return oneLine(Redaction.redact(super.convert(event)));
    }

    static String oneLine(String message) {
        StringBuilder out = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            String escaped = c == '\n' ? "\\n" : c == '\r' ? "\\r"
                    : Character.isISOControl(c) && c != '\t' ? String.format("\\u%04x", (int) c) : null;
            if (escaped != null && out == null) {
                out = new StringBuilder(message.length() + 16).append(message, 0, i);
            }
            if (out != null) {
                out.append(escaped != null ? escaped : String.valueOf(c));
            }
        }
        return out == null ? message : out.toString();
    }
}
