package dev.intake.app.web;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a page may send the browser after a form ("next" after sign-in, "back" after a button): only paths of this
 * Intake, so that a crafted link cannot turn Intake into a redirector to another site.
 */
final class LocalPaths {

    private static final Pattern SAFE = Pattern.compile("/(?![/\\\\])[A-Za-z0-9/._~%?&=+:@!$'()*,;-]*");

    private LocalPaths() {
    }

    static Optional<String> safe(String candidate) {
        if (candidate == null || candidate.length() > 1000 || !SAFE.matcher(candidate).matches()
                || candidate.contains("/\\") || candidate.startsWith("/sign-")) {
            return Optional.empty();
        }
        return Optional.of(candidate);
    }

    static String safeOr(String candidate, String fallback) {
        return safe(candidate).orElse(fallback);
    }
}
