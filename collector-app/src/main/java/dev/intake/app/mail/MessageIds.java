package dev.intake.app.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Message-IDs in one normal form, {@code <left@right>} without white space, so that the id a reply names in
 * In-Reply-To or References compares equal to the Message-ID stored for the original. Comparison stays
 * case-sensitive, as RFC 5322 defines it.
 */
public final class MessageIds {

    private static final Pattern BRACKETED = Pattern.compile("<([^<>]*)>");
    private static final int MAX_LENGTH = 998; // one header line; anything longer is not an id

    private MessageIds() {
    }

    /** A Message-ID value; a lone bare token counts even without {@code @}, as some generators write. */
    public static Optional<String> messageId(String raw) {
        Optional<String> first = first(raw);
        if (first.isPresent() || raw == null) {
            return first;
        }
        String value = HeaderText.unfold(raw).trim();
        return value.matches("\\S+") ? normalize(value) : Optional.empty();
    }

    /** The first id in an In-Reply-To value; some clients add prose around it. */
    static Optional<String> first(String raw) {
        List<String> all = all(raw);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every id in a References value, in header order (oldest first). */
    static List<String> all(String raw) {
        List<String> ids = new ArrayList<>();
        if (raw == null) {
            return ids;
        }
        String value = HeaderText.unfold(raw);
        Matcher m = BRACKETED.matcher(value);
        while (m.find()) {
            normalize(m.group(1)).ifPresent(id -> {
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            });
        }
        if (ids.isEmpty()) {
            // No brackets at all: some mailers write bare ids separated by white space.
            for (String token : value.trim().split("[\\s,]+")) {
                if (token.contains("@")) {
                    normalize(token).filter(id -> !ids.contains(id)).ifPresent(ids::add);
                }
            }
        }
        return ids;
    }

    private static Optional<String> normalize(String inner) {
        String compact = inner.replaceAll("\\s+", "").replace("<", "").replace(">", "");
        if (compact.isEmpty() || compact.length() > MAX_LENGTH || compact.chars().anyMatch(c -> c < 0x21 || c == 0x7F)) {
            return Optional.empty();
        }
        return Optional.of("<" + compact + ">");
    }
}
