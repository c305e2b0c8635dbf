package dev.intake.config;

import dev.intake.config.SecretReferences.Resolved;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks of single values (addresses, URLs, host names) that return what is wrong and what to write instead,
 * or empty when the value is fine.
 */
final class Values {

    /**
     * A pragmatic address check, not RFC 5322: one {@code @}, a local part without spaces or the characters of a
     * display name, a host of DNS labels. Hosts without a dot are allowed ({@code support@localhost} in tests).
     */
    private static final Pattern EMAIL = Pattern.compile(
            "[^\\s@<>()\\[\\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]-]{1,253}");
    /** Hosts that are this machine: plain http to them never crosses a network. */
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private Values() {
    }

    static Optional<String> email(Resolved r) {
        String v = r.value();
        if (EMAIL.matcher(v).matches()) {
            return Optional.empty();
        }
        String hint = v.contains("<") ? "; write only the address, without a display name" : "";
        return Optional.of(r.describe() + " is not an email address; write it as name@example.com" + hint);
    }

    /** A host name or IP address, no scheme, port or path. */
    static Optional<String> host(Resolved r) {
        String v = r.value();
        if (v.contains("/")) {
            return Optional.of(r.describe() + " is not a host name; write just the host, e.g. outlook.office365.com");
        }
        if (!HOST.matcher(v).matches()) {
            return Optional.of(r.describe() + " is not a host name or IP address");
        }
        return Optional.empty();
    }

    /**
     * An absolute URL with a host and one of the given schemes. {@code example} shows the operator the form.
     */
    static Optional<String> url(Resolved r, Set<String> schemes, String example) {
        URI uri;
        try {
            uri = new URI(r.value());
        } catch (URISyntaxException e) {
            return Optional.of(r.describe() + " is not a URL; write it like " + example);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null) {
            return Optional.of(r.describe() + " is not a full URL with a host; write it like " + example);
        }
        if (!schemes.contains(scheme)) {
            String allowed = schemes.contains("http") ? "http or https" : "https (plain http is refused)";
            return Optional.of(r.describe() + " must use " + allowed + "; write it like " + example);
        }
        if (uri.getRawUserInfo() != null) {
            // Not described: the user info may be a password written inline.
            return Optional.of("the URL must not carry a user name or password; write it like " + example);
        }
        return Optional.empty();
    }

    /**
     * An absolute http(s) URL without user info or query, where plain http is accepted only for a server on this
     * machine: what travels to it (passwords, tokens, tickets) must not cross a network in clear. The same rule as
     * the Google provider's endpoints ({@code GoogleKind.httpsUnlessLocal}).
     */
    static Optional<String> httpsUnlessLocal(Resolved r, String example) {
        Optional<String> problem = url(r, Set.of("http", "https"), example);
        if (problem.isPresent()) {
            return problem;
        }
        URI uri = URI.create(r.value());
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return Optional.of(r.describe() + " must not have a query or fragment; write it like " + example);
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && !LOOPBACK.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            return Optional.of(r.describe() + " must use https: what is sent there would cross the network in clear;"
                    + " plain http is accepted only for a server on this machine (localhost); write it like " + example);
        }
        return Optional.empty();
    }
}
