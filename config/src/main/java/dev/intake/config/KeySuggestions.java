package dev.intake.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known key an operator probably meant when a key is unknown: a typo, snake_case or camelCase. */
final class KeySuggestions {

    private KeySuggestions() {
    }

    static Optional<String> closest(String unknown, Collection<String> known) {
        String normalized = normalize(unknown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = candidate.equals(normalized) ? 0 : distance(normalized, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Two edits catch most typos; more than a third of the word changed is another word, not a typo.
        int allowed = Math.min(3, Math.max(1, normalized.length() / 3));
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    /** pollEvery, poll_every and Poll-Every all mean poll-every. */
    private static String normalize(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replace('_', '-').toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
