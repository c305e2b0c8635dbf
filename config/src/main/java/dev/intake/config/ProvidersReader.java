package dev.intake.config;

import dev.intake.config.SecretReferences.Resolved;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads {@code providers}, one app registration per name, in the order written: the keys every provider has here,
 * the keys of its type through that type's {@link ProviderKind}.
 */
final class ProvidersReader {

    private static final List<String> CLIENT_KEYS = List.of(
            "type", "auth", "client-id", "client-secret", "client-secret-next", "client-secret-expires");
    private static final List<String> IMAP_KEYS = List.of("imap-host", "imap-port", "imap-security");
    /** The keys every provider has, whatever its type. */
    static final List<String> KEYS = Stream.concat(CLIENT_KEYS.stream(), IMAP_KEYS.stream()).toList();
    /** Names are what mailboxes refer to and what appears in logs and URLs. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    private static final Map<String, ImapSecurity> SECURITY = Section.words(ImapSecurity.values());
    static final Map<String, AuthMode> AUTH = Section.words(AuthMode.values());

    private ProvidersReader() {
    }

    static Map<String, ProviderConfig> read(Section top) {
        ProviderKinds kinds = ProviderKinds.installed();
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
            Section s = Section.ofAnyKeys(at, entry.value(), top.context(), "type, client-id, client-secret...");
            Optional<ProviderKind> kind = kind(name, s, kinds);
            checkKeys(s, kind, kinds);
            provider(name, s, kind).ifPresent(p -> providers.put(name, p));
        }
        return providers;
    }

    private static Optional<ProviderConfig> provider(String name, Section s, Optional<ProviderKind> kind) {
        String clientId = s.requiredString("client-id", "give the application (client) ID of the app registration");
        AuthMode auth = s.choice("auth", AUTH).orElse(Defaults.AUTH);
        // app-only access can do without the client secret (a certificate, a service account key); a person's
        // sign-in never can, and a mailbox that asks for it without one is told so (MailboxesReader)
        Secret clientSecret = auth == AuthMode.APP
                ? s.secret("client-secret").orElse(Secret.of(""))
                : s.requiredSecret("client-secret", "give the client secret, best as a reference:"
                        + " client-secret: ${env:" + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_CLIENT_SECRET}");
        Optional<Secret> next = s.secret("client-secret-next");
        Optional<LocalDate> expires = s.text("client-secret-expires").flatMap(r -> date(r, s));

        Optional<ProviderSettings> settings = kind.map(k -> k.read(new ProviderSection(name, s, auth)));

        Optional<String> imapHost = s.checked("imap-host", Values::host);
        Optional<Integer> imapPort = s.optionalInteger("imap-port", 1, 65535);
        ImapSecurity security = s.choice("imap-security", SECURITY).orElse(Defaults.IMAP_SECURITY);

        return kind.map(k -> new ProviderConfig(name, k.type(), clientId, auth, clientSecret, next, expires,
                imapHost, imapPort, security, settings.orElseThrow()));
    }

    /** The type defaults to the name, so {@code providers.entra} needs no {@code type}. */
    private static Optional<ProviderKind> kind(String name, Section s, ProviderKinds kinds) {
        Optional<Resolved> written = s.text("type");
        if (written.isEmpty()) {
            Optional<ProviderKind> byName = kinds.get(name);
            if (byName.isEmpty()) {
                s.problems().add(s.path("type"), "missing; a provider named '" + name + "' needs type: "
                        + String.join(" or type: ", kinds.types()), s.line());
            }
            return byName;
        }
        Optional<ProviderKind> kind = kinds.get(written.get().value().trim().toLowerCase(Locale.ROOT));
        if (kind.isEmpty()) {
            s.problems().add(s.path("type"), written.get().describe() + " is not a provider type; write "
                    + String.join(" or ", kinds.types()), s.line("type"));
        }
        return kind;
    }

    /**
     * Keys of the provider's kind are known; a key of another kind gets its own message, since "unknown" would
     * puzzle an operator who copied it from the README. Without a known type, every kind's keys count as known.
     */
    private static void checkKeys(Section s, Optional<ProviderKind> kind, ProviderKinds kinds) {
        List<String> known = knownKeys(kind.map(k -> List.of(k)).orElse(List.copyOf(kinds.all())));
        for (String key : s.keys()) {
            if (known.contains(key)) {
                continue;
            }
            List<String> owners = kinds.typesWithKey(key);
            if (owners.isEmpty()) {
                s.unknownKey(key, known);
            } else if (s.has(key)) {
                s.problems().add(s.path(key), "applies to " + String.join(" and ", owners) + " providers only, and this"
                        + " one is " + kind.orElseThrow().type() + "; remove it", s.line(key));
            }
        }
    }

    /** In the order the README lists them: the client's keys, the kind's own, then IMAP's. */
    private static List<String> knownKeys(Collection<ProviderKind> kinds) {
        List<String> keys = new ArrayList<>(CLIENT_KEYS);
        kinds.forEach(k -> keys.addAll(k.keys()));
        keys.addAll(IMAP_KEYS);
        return keys;
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
}
