package dev.intake.app.mail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The headers the refusal rules read, unfolded but otherwise as sent (a {@code Return-Path: <>} must stay
 * {@code <>}). Names are matched case-insensitively. Only the headers in {@link #KEPT} are held: the rest of
 * the header block is either in {@link ParsedMail}'s typed fields or of no use to Intake.
 */
public final class MailHeaders {

    public static final String AUTO_SUBMITTED = "Auto-Submitted";
    public static final String X_AUTOREPLY = "X-Autoreply";
    public static final String X_AUTORESPOND = "X-Autorespond";
    public static final String PRECEDENCE = "Precedence";
    public static final String LIST_ID = "List-Id";
    public static final String LIST_POST = "List-Post";
    public static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
    public static final String RETURN_PATH = "Return-Path";
    public static final String X_FAILED_RECIPIENTS = "X-Failed-Recipients";
    public static final String CONTENT_TYPE = "Content-Type";

    public static final List<String> KEPT = List.of(
            AUTO_SUBMITTED, X_AUTOREPLY, X_AUTORESPOND, PRECEDENCE, LIST_ID, LIST_POST, LIST_UNSUBSCRIBE,
            RETURN_PATH, X_FAILED_RECIPIENTS, CONTENT_TYPE);

    private static final int MAX_VALUE_LENGTH = 2000;

    private final Map<String, List<String>> values;

    private MailHeaders(Map<String, List<String>> values) {
        this.values = values;
    }

    public static MailHeaders empty() {
        return new MailHeaders(Map.of());
    }

    /** Builds from raw header values; {@code source} gives all values of a name (none: null or empty). */
    static MailHeaders from(Function<String, String[]> source) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String name : KEPT) {
            String[] raw = source.apply(name);
            if (raw == null || raw.length == 0) {
                continue;
            }
            List<String> list = new ArrayList<>();
            for (String value : raw) {
                String clean = TextCleanup.line(HeaderText.unfold(value));
                list.add(clean.length() > MAX_VALUE_LENGTH ? clean.substring(0, MAX_VALUE_LENGTH) : clean);
            }
            values.put(key(name), List.copyOf(list));
        }
        return new MailHeaders(Collections.unmodifiableMap(values));
    }

    /** Test and tooling factory: name to its values. */
    public static MailHeaders of(Map<String, List<String>> headers) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        headers.forEach((name, list) -> values.put(key(name), List.copyOf(list)));
        return new MailHeaders(Collections.unmodifiableMap(values));
    }

    /** The first (topmost) value of the header. */
    public Optional<String> first(String name) {
        List<String> list = values.get(key(name));
        return list == null || list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
    }

    public List<String> all(String name) {
        return values.getOrDefault(key(name), List.of());
    }

    public boolean has(String name) {
        return values.containsKey(key(name));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MailHeaders that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
