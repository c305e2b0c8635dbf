package dev.intake.config;

import dev.intake.config.SecretReferences.Resolved;
import java.net.URI;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code providers}: one Entra or Google app registration per name, in the order written. */
final class ProvidersReader {

    static final List<String> KEYS = List.of(
            "type", "client-id", "client-secret", "client-secret-next", "client-secret-expires",
            "tenant", "authority", "auth-uri", "token-uri", "imap-host", "imap-port", "imap-security");
    private static final List<String> ENTRA_ONLY = List.of("tenant", "authority");
    private static final List<String> GOOGLE_ONLY = List.of("auth-uri", "token-uri");
    /** Names are what mailboxes refer to and what appears in logs and URLs. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Map<String, ImapSecurity> SECURITY = Section.words(ImapSecurity.values());

    private ProvidersReader() {
    }

    static Map<String, ProviderConfig> read(Section top) {
        Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        YamlNode.Mapping written = top.namedEntries("providers", "a name for each provider, e.g. entra:, google:");
        for (YamlNode.Entry entry : written.entries().values()) {
            String name = entry.key();
            String at = "providers." + name;
            if (!NAME.matcher(name).matches()) {
                top.problems().add(at, "'" + name + "' is not a usable provider name; use lower-case letters, digits,"
                        + " '-' and '_' (up to 63), starting with a letter or digit", entry.line());
                continue;
            }
            Section s = Section.of(at, entry.value(), top.context(), KEYS, "type, client-id, client-secret...");
            provider(name, s).ifPresent(p -> providers.put(name, p));
        }
        return providers;
    }

    private static Optional<ProviderConfig> provider(String name, Section s) {
        Optional<ProviderType> type = type(name, s);
        type.ifPresent(t -> rejectKeysOfOtherType(t, s));
        boolean entra = type.orElse(null) == ProviderType.ENTRA;
        boolean google = type.orElse(null) == ProviderType.GOOGLE;

        String clientId = s.requiredString("client-id", "give the application (client) ID of the app registration");
        Secret clientSecret = s.requiredSecret("client-secret", "give the client secret, best as a reference:"
                + " client-secret: ${env:" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_CLIENT_SECRET}");
        Optional<Secret> next = s.secret("client-secret-next");
        Optional<LocalDate> expires = s.text("client-secret-expires").flatMap(r -> date(r, s));

        Optional<String> tenant = entra ? Optional.of(tenant(s)) : Optional.empty();
        Optional<URI> authority = entra
                ? Optional.of(uri(s, "authority", Set.of("https"), "https://login.microsoftonline.com/", true)
                        .orElse(Defaults.ENTRA_AUTHORITY))
                : Optional.empty();
        Optional<URI> authUri = google
                ? Optional.of(uri(s, "auth-uri", Set.of("http", "https"), Defaults.GOOGLE_AUTH_URI.toString(), false)
                        .orElse(Defaults.GOOGLE_AUTH_URI))
                : Optional.empty();
        Optional<URI> tokenUri = google
                ? Optional.of(uri(s, "token-uri", Set.of("http", "https"), Defaults.GOOGLE_TOKEN_URI.toString(), false)
                        .orElse(Defaults.GOOGLE_TOKEN_URI))
                : Optional.empty();

        Optional<String> imapHost = s.checked("imap-host", Values::host);
        Optional<Integer> imapPort = s.optionalInteger("imap-port", 1, 65535);
        ImapSecurity security = s.choice("imap-security", SECURITY).orElse(Defaults.IMAP_SECURITY);

        return type.map(t -> new ProviderConfig(name, t, clientId, clientSecret, next, expires, tenant,
                authority, authUri, tokenUri, imapHost, imapPort, security));
    }

    private static String tenant(Section s) {
        String tenant = s.requiredString("tenant", "an Entra provider needs the tenant ID or domain,"
                + " e.g. tenant: contoso.onmicrosoft.com");
        if (!tenant.isEmpty() && !tenant.matches("[A-Za-z0-9._-]+")) {
            s.problems().add(s.path("tenant"), "'" + tenant + "' is not a tenant ID or domain; write e.g."
                    + " contoso.onmicrosoft.com", s.line("tenant"));
        }
        return tenant;
    }

    /** The type defaults to the name, so {@code providers.entra} needs no {@code type}. */
    private static Optional<ProviderType> type(String name, Section s) {
        Optional<Resolved> written = s.text("type");
        if (written.isEmpty()) {
            Optional<ProviderType> byName = ProviderType.fromKey(name);
            if (byName.isEmpty()) {
                s.problems().add(s.path("type"), "missing; a provider named '" + name + "' needs type: "
                        + ProviderType.keys().replace(", ", " or type: "), s.line());
            }
            return byName;
        }
        Optional<ProviderType> type = ProviderType.fromKey(written.get().value().trim().toLowerCase(Locale.ROOT));
        if (type.isEmpty()) {
            s.problems().add(s.path("type"), written.get().describe() + " is not a provider type; write "
                    + ProviderType.keys().replace(", ", " or "), s.line("type"));
        }
        return type;
    }

    private static void rejectKeysOfOtherType(ProviderType type, Section s) {
        List<String> foreign = type == ProviderType.ENTRA ? GOOGLE_ONLY : ENTRA_ONLY;
        String owner = type == ProviderType.ENTRA ? "google" : "entra";
        for (String key : foreign) {
            if (s.has(key)) {
                s.problems().add(s.path(key), "applies to " + owner + " providers only, and this one is "
                        + type.key() + "; remove it", s.line(key));
            }
        }
    }

    private static Optional<LocalDate> date(Resolved r, Section s) {
        try {
            return Optional.of(LocalDate.parse(r.value().trim()));
        } catch (DateTimeParseException e) {
            s.problems().add(s.path("client-secret-expires"), r.describe() + " is not a date; write YYYY-MM-DD,"
                    + " e.g. 2027-01-31", s.line("client-secret-expires"));
            return Optional.empty();
        }
    }

    private static Optional<URI> uri(Section s, String key, Set<String> schemes, String example, boolean endsWithSlash) {
        return s.checked(key, r -> Values.url(r, schemes, example).or(() -> {
            if (endsWithSlash && !r.value().endsWith("/")) {
                return Optional.of(r.describe() + " must end with '/'; write e.g. " + example);
            }
            if (URI.create(r.value()).getRawQuery() != null) {
                return Optional.of(r.describe() + " must not have a query; write e.g. " + example);
            }
            return Optional.empty();
        })).map(URI::create);
    }
}
