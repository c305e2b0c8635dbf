package dev.intake.config;

import java.util.regex.Pattern;

/**
 * How tickets are tagged in subjects. The tag is a template with {@code {number}}, default {@code [#{number}]};
 * the same template both formats the tag and recognizes it in a reply's subject.
 */
public record TicketsConfig(String tag) {

    public static final String DEFAULT_TAG = "[#{number}]";

    public String format(long number) {
        return tag.replace("{number}", Long.toString(number));
    }

    /** A pattern whose group 1 is the ticket number. */
    public Pattern pattern() {
        int at = tag.indexOf("{number}");
        String before = tag.substring(0, at);
        String after = tag.substring(at + "{number}".length());
        return Pattern.compile(Pattern.quote(before) + "(\\d{1,18})" + (after.isEmpty() ? "" : Pattern.quote(after)));
    }
}
