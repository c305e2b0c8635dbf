package dev.intake.app.mail;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code blocked-senders} globs of a mailbox: {@code *} matches any run of characters, {@code ?} one
 * character, everything else itself; case-insensitive; a pattern matches the whole address
 * ({@code *@spam.example}, {@code noreply@*}, {@code newsletter-?@shop.example}).
 */
final class SenderPatterns {

    private final List<String> globs;
    private final List<Pattern> patterns;

    SenderPatterns(List<String> globs) {
        this.globs = List.copyOf(globs);
        this.patterns = this.globs.stream().map(SenderPatterns::compile).toList();
    }

    /** The first glob that matches {@code address}. */
    Optional<String> match(String address) {
        String candidate = address.trim();
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matcher(candidate).matches()) {
                return Optional.of(globs.get(i));
            }
        }
        return Optional.empty();
    }

    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : glob.trim().toLowerCase(Locale.ROOT).toCharArray()) {
            if (c == '*' || c == '?') {
                regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }
}
