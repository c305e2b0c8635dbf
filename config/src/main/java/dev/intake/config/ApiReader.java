package dev.intake.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code api}: token lifetime, trusted proxies and the API clients declared in the file. */
final class ApiReader {

    static final List<String> KEYS = List.of("token-lifetime", "trusted-proxies", "clients");
    static final List<String> CLIENT_KEYS = List.of("client-id", "name", "comment", "secret", "grants", "scopes",
            "allowed-ips", "redirect-uris", "active");
    /** The grants and scopes the app knows; repeated here so that a typo is found when the file is read. */
    static final List<String> GRANTS = List.of("client_credentials", "authorization_code");
    static final List<String> SCOPES = List.of("tickets:read", "tickets:write", "mailboxes:read", "mailboxes:write", "status");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    private ApiReader() {
    }

    static ApiConfig read(Section top) {
        Section s = top.section("api", KEYS, "token-lifetime, trusted-proxies, clients");
        Duration lifetime = s.duration("token-lifetime", Defaults.API_TOKEN_LIFETIME, Duration.ofMinutes(1));
        if (lifetime.compareTo(Duration.ofDays(1)) > 0) {
            s.problems().add(s.path("token-lifetime"), Durations.format(lifetime) + " is too long for a bearer token that "
                    + "anyone who sees it can use; write at most 24h", s.line("token-lifetime"));
        }
        List<String> proxies = ranges(s, "trusted-proxies", "a list of addresses or CIDR ranges");
        return new ApiConfig(lifetime, proxies, clients(s));
    }

    private static List<ApiClientConfig> clients(Section api) {
        List<ApiClientConfig> clients = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<YamlNode> items = api.list("clients", "one entry per client, each starting with - client-id:");
        for (int i = 0; i < items.size(); i++) {
            Section s = Section.of(api.path("clients") + "[" + i + "]", items.get(i), api.context(), CLIENT_KEYS,
                    "client-id, name, secret, grants, scopes...");
            String id = s.requiredString("client-id", "give the id the client sends (8 to 64 letters, digits, . _ -)");
            if (!id.isEmpty() && !CLIENT_ID.matcher(id).matches()) {
                s.problems().add(s.path("client-id"), "'" + id + "' is not usable as a client id; use 8 to 64 letters, "
                        + "digits, '.', '_' or '-'", s.line("client-id"));
            } else if (!id.isEmpty() && !seen.add(id)) {
                s.problems().add(s.path("client-id"), "'" + id + "' is listed twice; keep one entry per client",
                        s.line("client-id"));
            }
            String name = s.string("name", id);
            Secret secret = s.requiredSecret("secret", "give the client's secret as a reference, e.g. "
                    + "secret: ${file:/etc/intake/helpdesk-client-secret}");
            if (!secret.isEmpty() && (secret.reveal().length() < 32 || secret.reveal().length() > 72)) {
                s.problems().add(s.path("secret"), "must be 32 to 72 characters (it is a machine's password); make one "
                        + "with: openssl rand -base64 36", s.line("secret"));
            }
            List<String> grants = words(s, "grants", GRANTS, List.of("client_credentials"));
            List<String> scopes = words(s, "scopes", SCOPES, List.of());
            if (scopes.isEmpty()) {
                s.problems().add(s.path("scopes"), "missing; list what the client may do, from: " + String.join(", ", SCOPES),
                        s.line("scopes"));
            }
            List<String> ips = ranges(s, "allowed-ips", "a list of CIDR ranges");
            List<String> redirects = new ArrayList<>();
            for (Section.Item item : s.texts("redirect-uris", "a list of exact redirect URIs")) {
                String u = item.value().value();
                Optional<String> problem = RedirectUris.problem(u);
                if (problem.isEmpty()) {
                    redirects.add(u);
                } else {
                    s.problems().add(item.path(), problem.get(), item.line());
                }
            }
            if (grants.contains("authorization_code") && redirects.isEmpty()) {
                s.problems().add(s.path("redirect-uris"), "missing; the authorization_code grant needs the application's "
                        + "exact redirect URIs", s.line("redirect-uris"));
            }
            clients.add(new ApiClientConfig(id, name, s.string("comment", ""), secret, grants, scopes, ips, redirects,
                    s.bool("active", true)));
        }
        return clients;
    }

    /** Addresses or CIDR ranges, read by the same rule the app applies to them ({@link IpRange}). */
    private static List<String> ranges(Section s, String key, String expected) {
        List<String> ranges = new ArrayList<>();
        for (Section.Item item : s.texts(key, expected)) {
            String text = item.value().value();
            if (IpRange.parse(text).isPresent()) {
                ranges.add(text);
            } else {
                s.problems().add(item.path(), IpRange.advice(text), item.line());
            }
        }
        return ranges;
    }

    private static List<String> words(Section s, String key, List<String> known, List<String> fallback) {
        List<String> out = new ArrayList<>();
        List<Section.Item> items = s.texts(key, "a list, e.g. [" + String.join(", ", known) + "]");
        for (Section.Item item : items) {
            String w = item.value().value();
            if (known.contains(w)) {
                out.add(w);
            } else {
                s.problems().add(item.path(), "unknown " + key.substring(0, key.length() - 1) + " '" + w + "'; write one of: "
                        + String.join(", ", known) + ("password".equals(w) ? " (there is no password grant: see the README)"
                        : ""), item.line());
            }
        }
        return items.isEmpty() ? fallback : out;
    }
}
