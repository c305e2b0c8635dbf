package dev.intake.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * The rule for an API client's redirect URI wherever it is given (collector.yaml, the Clients page,
 * {@code intake clients}): absolute, https (http only to this machine), no fragment, no wildcard. An authorization
 * code is sent there, so nothing looser is accepted.
 */
public final class RedirectUris {

    private RedirectUris() {
    }

    /** Why {@code uri} is not usable, with what to write instead; empty when it is. */
    public static Optional<String> problem(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("'" + uri + "' is not a redirect URI; write it in full, e.g. https://helpdesk.example/callback");
        }
        String host = parsed.getHost();
        boolean local = "http".equals(parsed.getScheme()) && host != null
                && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
        if (!("https".equals(parsed.getScheme()) || local) || host == null || parsed.getRawFragment() != null
                || uri.contains("*") || uri.length() > 2000) {
            return Optional.of("'" + uri + "' is not a usable redirect URI; write it in full, https (http only for "
                    + "localhost), without a fragment or wildcard");
        }
        return Optional.empty();
    }
}
