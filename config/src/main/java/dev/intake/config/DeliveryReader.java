package dev.intake.config;

import dev.intake.config.SecretReferences.Resolved;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads {@code delivery}: how hard Intake tries, and the targets tickets are sent to, each with the keys of its
 * {@code type}. Target secrets (client secrets, passwords, tokens, webhook keys) are read as secrets: a problem names
 * the key or the reference, never the value, and a referenced file is watched, so a rotated secret is reloaded.
 */
final class DeliveryReader {

    static final List<String> KEYS = List.of("max-attempts", "first-retry", "max-retry", "backlog-warning", "targets");
    static final List<String> COMMON_KEYS = List.of("name", "type", "timeout");
    private static final List<String> TICKET_KEYS = List.of("entity", "ticket-type", "urgency", "category", "request-type");
    /** The keys of each type, in the order the README lists them. */
    static final Map<String, List<String>> TYPE_KEYS = new LinkedHashMap<>();
    /** The events a webhook may be sent, as {@code GET /api/events} names them. */
    static final List<String> EVENTS = List.of("ticket.created", "followup.added", "message.refused",
            "mailbox.state-changed");
    /** Target names appear in URLs, metrics labels and the log. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Map<String, Integer> TICKET_TYPES = new LinkedHashMap<>();
    private static final Map<String, Integer> URGENCIES = new LinkedHashMap<>();
    /** Standard Webhooks: "Random. At least 24 bytes (192 bits, 512 maximum)"; we cap at 64 bytes. */
    private static final int MIN_WEBHOOK_KEY_BYTES = 24;
    private static final int MAX_WEBHOOK_KEY_BYTES = 64;
    static final String WEBHOOK_SECRET_PREFIX = "whsec_";
    private static final String MAKE_WEBHOOK_SECRET = "make one with: echo \"whsec_$(openssl rand -base64 32)\"";

    static {
        TYPE_KEYS.put("glpi", concat(List.of("url", "client-id", "client-secret", "username", "password", "scope"),
                TICKET_KEYS));
        TYPE_KEYS.put("glpi-legacy", concat(List.of("url", "app-token", "user-token", "username", "password"),
                TICKET_KEYS));
        TYPE_KEYS.put("webhook", List.of("url", "secret", "events"));
        TICKET_TYPES.put("incident", 1);
        TICKET_TYPES.put("request", 2);
        URGENCIES.put("very-low", 1);
        URGENCIES.put("low", 2);
        URGENCIES.put("medium", 3);
        URGENCIES.put("high", 4);
        URGENCIES.put("very-high", 5);
    }

    /** The defaults of {@code delivery}, the same as {@link DeliveryConfig#none()}. */
    private static final DeliveryConfig NONE = DeliveryConfig.none();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    private DeliveryReader() {
    }

    static DeliveryConfig read(Section top) {
        Section s = top.section("delivery", KEYS, "max-attempts, first-retry, max-retry, backlog-warning, targets");
        int maxAttempts = s.integer("max-attempts", NONE.maxAttempts(), 1, 1000);
        Duration firstRetry = s.duration("first-retry", NONE.firstRetry(), Duration.ofSeconds(1));
        Duration maxRetry = s.duration("max-retry", NONE.maxRetry(), Duration.ofSeconds(1));
        if (maxRetry.compareTo(firstRetry) < 0) {
            s.problems().add(s.path("max-retry"), Durations.format(maxRetry) + " is shorter than first-retry ("
                    + Durations.format(firstRetry) + "); the wait doubles from first-retry up to max-retry, so write"
                    + " at least " + Durations.format(firstRetry), s.line("max-retry"));
            maxRetry = firstRetry;
        }
        Duration backlogWarning = s.duration("backlog-warning", NONE.backlogWarning(), Duration.ofSeconds(1));
        return new DeliveryConfig(targets(s), maxAttempts, firstRetry, maxRetry, backlogWarning);
    }

    private static List<DeliveryTargetConfig> targets(Section delivery) {
        List<DeliveryTargetConfig> targets = new ArrayList<>();
        Map<String, String> pathOfName = new LinkedHashMap<>();
        List<YamlNode> items = delivery.list("targets", "one entry per target, each starting with - name:");
        for (int i = 0; i < items.size(); i++) {
            Section s = Section.ofAnyKeys(delivery.path("targets") + "[" + i + "]", items.get(i), delivery.context(),
                    "name, type, url...");
            String name = name(s, pathOfName);
            Optional<String> type = type(s);
            checkKeys(s, type);
            Duration timeout = s.duration("timeout", DEFAULT_TIMEOUT, Duration.ofSeconds(1));
            if (timeout.compareTo(MAX_TIMEOUT) > 0) {
                s.problems().add(s.path("timeout"), Durations.format(timeout) + " is too long: a request this slow"
                        + " holds up every item behind it; write at most " + Durations.format(MAX_TIMEOUT),
                        s.line("timeout"));
                timeout = DEFAULT_TIMEOUT;
            }
            Duration t = timeout;
            type.map(kind -> switch (kind) {
                case "glpi" -> glpi(name, s, t);
                case "glpi-legacy" -> glpiLegacy(name, s, t);
                default -> webhook(name, s, t);
            }).ifPresent(targets::add);
        }
        return targets;
    }

    private static String name(Section s, Map<String, String> pathOfName) {
        String name = s.requiredString("name", "give the target a short name that mailboxes choose it by (deliver-to),"
                + " e.g. name: helpdesk");
        if (name.isEmpty()) {
            return name;
        }
        if (!NAME.matcher(name).matches()) {
            s.problems().add(s.path("name"), "'" + name + "' is not a usable target name; use lower-case letters,"
                    + " digits and '-' (up to 63), starting with a letter or digit", s.line("name"));
        } else if (pathOfName.containsKey(name)) {
            s.problems().add(s.path("name"), "'" + name + "' is already the name of " + pathOfName.get(name)
                    + "; give each target its own name", s.line("name"));
        } else {
            pathOfName.put(name, s.path());
        }
        return name;
    }

    private static Optional<String> type(Section s) {
        String types = String.join(", ", TYPE_KEYS.keySet());
        Optional<Resolved> written = s.text("type");
        if (written.isEmpty()) {
            s.problems().add(s.path("type"), "missing; write one of: " + types, s.line());
            return Optional.empty();
        }
        String type = written.get().value().trim().toLowerCase(Locale.ROOT);
        if (!TYPE_KEYS.containsKey(type)) {
            String hint = KeySuggestions.closest(type, TYPE_KEYS.keySet()).map(t -> "; did you mean '" + t + "'?")
                    .orElse("");
            s.problems().add(s.path("type"), written.get().describe() + " is not a target type; write one of: " + types
                    + hint, s.line("type"));
            return Optional.empty();
        }
        return Optional.of(type);
    }

    /**
     * Keys of the target's type are known; a key of another type gets its own message (it was likely copied from
     * another target). Without a known type, every type's keys count as known.
     */
    private static void checkKeys(Section s, Optional<String> type) {
        List<String> known = new ArrayList<>(COMMON_KEYS);
        type.map(TYPE_KEYS::get).ifPresentOrElse(known::addAll, () -> TYPE_KEYS.values().forEach(keys ->
                keys.stream().filter(k -> !known.contains(k)).forEach(known::add)));
        for (String key : s.keys()) {
            if (known.contains(key)) {
                continue;
            }
            List<String> owners = TYPE_KEYS.entrySet().stream().filter(e -> e.getValue().contains(key))
                    .map(Map.Entry::getKey).toList();
            if (owners.isEmpty()) {
                s.unknownKey(key, known);
            } else {
                s.problems().add(s.path(key), "applies to " + String.join(" and ", owners) + " targets only, and this"
                        + " one is " + type.orElseThrow() + "; remove it", s.line(key));
            }
        }
    }

    // ---- glpi ----

    private static GlpiTargetConfig glpi(String name, Section s, Duration timeout) {
        URI url = glpiUrl(s, "api.php", Optional.of("GLPI_URL"));
        String clientId = stringWithEnvDefault(s, "client-id", "GLPI_OAUTH_CLIENT_ID",
                "give the client ID of the OAuth client made in GLPI (Setup > OAuth clients)");
        Secret clientSecret = secretWithEnvDefault(s, "client-secret", "GLPI_OAUTH_CLIENT_SECRET",
                "give the OAuth client's secret as a reference, e.g. client-secret: ${file:/etc/intake/glpi-client-secret}");
        String username = stringWithEnvDefault(s, "username", "GLPI_OAUTH_USERNAME",
                "give the login of the GLPI user tickets are created as (GLPI allows only the password grant for the"
                        + " api scope)");
        Secret password = secretWithEnvDefault(s, "password", "GLPI_OAUTH_PASSWORD",
                "give that GLPI user's password as a reference, e.g. password: ${file:/etc/intake/glpi-password}");
        String scope = s.string("scope", "api").trim();
        return new GlpiTargetConfig(name, url, clientId, clientSecret, username, password, scope, ticketFields(s),
                timeout);
    }

    private static GlpiLegacyTargetConfig glpiLegacy(String name, Section s, Duration timeout) {
        URI url = glpiUrl(s, "apirest.php", Optional.empty());
        Optional<Secret> appToken = s.secret("app-token");
        Optional<Secret> userToken = s.secret("user-token");
        Optional<String> username = s.optionalString("username");
        Optional<Secret> password = s.secret("password");
        if (userToken.isPresent() && (username.isPresent() || password.isPresent())) {
            String key = username.isPresent() ? "username" : "password";
            s.problems().add(s.path(key), "user-token is set too; GLPI opens a session from one or the other: keep"
                    + " user-token (recommended) or username and password", s.line(key));
        } else if (userToken.isEmpty() && username.isPresent() != password.isPresent()) {
            String missing = username.isPresent() ? "password" : "username";
            s.problems().add(s.path(missing), "missing; a session opened with a login needs both username and password"
                    + " (or use user-token, from the GLPI user's preferences: Remote access keys)", s.line(missing));
        } else if (userToken.isEmpty() && username.isEmpty()) {
            s.problems().add(s.path("user-token"), "missing; give the API user's token (GLPI: the user's preferences,"
                    + " Remote access keys > API token) as a reference, e.g. user-token: ${file:/etc/intake/glpi-user-token},"
                    + " or username and password", s.line("user-token"));
        }
        return new GlpiLegacyTargetConfig(name, url, appToken, userToken, username, password, ticketFields(s), timeout);
    }

    /** GLPI's root URL, without the API's script, which the target adds, and without a trailing slash. */
    private static URI glpiUrl(Section s, String script, Optional<String> envDefault) {
        String example = "https://helpdesk.example.com";
        Optional<Resolved> written = s.has("url") ? s.text("url")
                : envDefault.flatMap(env -> fromEnv(s, "url", env));
        if (written.isEmpty()) {
            if (!s.has("url")) {
                s.problems().add(s.path("url"), "missing; give GLPI's root URL, e.g. url: " + example
                        + envDefault.map(env -> " (or set " + env + ")").orElse(""), s.line("url"));
            }
            return URI.create(example);
        }
        Optional<String> problem = Values.httpsUnlessLocal(written.get(), example);
        if (problem.isEmpty() && (URI.create(written.get().value()).getPath() + "/").contains("/" + script + "/")) {
            problem = Optional.of(written.get().describe() + " names the API script; write GLPI's root URL without /"
                    + script + ", e.g. " + example);
        }
        if (problem.isPresent()) {
            s.problems().add(s.path("url"), problem.get(), s.line("url"));
            return URI.create(example);
        }
        return URI.create(written.get().value().replaceAll("/+$", ""));
    }

    /**
     * The key's value, else glpi_utils' environment variable of the same meaning, read through the loader's
     * environment lookup as a reference would be (so a message names the variable, never its value).
     */
    private static String stringWithEnvDefault(Section s, String key, String env, String whatToDo) {
        if (s.has(key)) {
            return s.requiredString(key, whatToDo).trim();
        }
        return envDefault(s, key, env, whatToDo).trim();
    }

    /** As {@link #stringWithEnvDefault}, for a secret: a written one stays a {@link Secret}, never a plain string. */
    private static Secret secretWithEnvDefault(Section s, String key, String env, String whatToDo) {
        if (s.has(key)) {
            return s.requiredSecret(key, whatToDo);
        }
        return Secret.of(envDefault(s, key, env, whatToDo));
    }

    private static String envDefault(Section s, String key, String env, String whatToDo) {
        Optional<Resolved> fromEnv = fromEnv(s, key, env);
        if (fromEnv.isEmpty()) {
            s.problems().add(s.path(key), "missing; " + whatToDo + " (or set " + env + ")", s.line(key));
            return "";
        }
        return fromEnv.get().value();
    }

    private static Optional<Resolved> fromEnv(Section s, String key, String env) {
        if (s.has(key)) {
            return Optional.empty();
        }
        return s.context().references().resolve("${env:" + env + ":-}", s.path(key), s.line(key), s.problems())
                .filter(r -> !r.value().isEmpty())
                .map(r -> new Resolved(r.value(), Optional.of("${env:" + env + "}")));
    }

    private static GlpiTicketFields ticketFields(Section s) {
        Optional<Long> entity = s.optionalInteger("entity", 0, Integer.MAX_VALUE).map(Integer::longValue);
        int type = s.choice("ticket-type", TICKET_TYPES).orElse(GlpiTicketFields.defaults().type());
        int urgency = urgency(s);
        Optional<Long> category = s.optionalInteger("category", 1, Integer.MAX_VALUE).map(Integer::longValue);
        Optional<Long> requestType = s.optionalInteger("request-type", 1, Integer.MAX_VALUE).map(Integer::longValue);
        return new GlpiTicketFields(entity, type, urgency, category, requestType);
    }

    /** GLPI's 1 to 5, or the words GLPI's form shows. */
    private static int urgency(Section s) {
        int fallback = GlpiTicketFields.defaults().urgency();
        Optional<Resolved> written = s.text("urgency");
        if (written.isEmpty()) {
            return fallback;
        }
        String word = written.get().value().trim().toLowerCase(Locale.ROOT).replace(' ', '-').replace('_', '-');
        if (URGENCIES.containsKey(word)) {
            return URGENCIES.get(word);
        }
        if (word.matches("[1-5]")) {
            return Integer.parseInt(word);
        }
        s.problems().add(s.path("urgency"), written.get().describe() + " is not an urgency; write 1 to 5 or one of: "
                + String.join(", ", URGENCIES.keySet()), s.line("urgency"));
        return fallback;
    }

    // ---- webhook ----

    private static WebhookTargetConfig webhook(String name, Section s, Duration timeout) {
        String example = "https://hooks.example.com/intake";
        URI url = s.has("url")
                ? s.checked("url", r -> Values.httpsUnlessLocal(r, example)).map(URI::create).orElse(URI.create(example))
                : missingUrl(s, example);
        Secret secret = s.requiredSecret("secret", "give the signing key the receiver shares, as a reference, e.g."
                + " secret: ${file:/etc/intake/webhook-secret}; " + MAKE_WEBHOOK_SECRET);
        if (!secret.isEmpty()) {
            webhookKeyProblem(secret).ifPresent(p -> s.problems().add(s.path("secret"), p, s.line("secret")));
        }
        return new WebhookTargetConfig(name, url, secret, events(s), timeout);
    }

    private static URI missingUrl(Section s, String example) {
        s.problems().add(s.path("url"), "missing; give the URL the events are POSTed to, e.g. url: " + example,
                s.line("url"));
        return URI.create(example);
    }

    /** Standard Webhooks' symmetric key: {@code whsec_} and base64 of 24 to 64 random bytes. Never quotes the value. */
    static Optional<String> webhookKeyProblem(Secret secret) {
        String value = secret.reveal().trim();
        if (!value.startsWith(WEBHOOK_SECRET_PREFIX)) {
            return Optional.of("is not a Standard Webhooks key: it must start with whsec_ followed by base64; "
                    + MAKE_WEBHOOK_SECRET);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.substring(WEBHOOK_SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a Standard Webhooks key: what follows whsec_ is not base64; "
                    + MAKE_WEBHOOK_SECRET);
        }
        if (key.length < MIN_WEBHOOK_KEY_BYTES || key.length > MAX_WEBHOOK_KEY_BYTES) {
            return Optional.of("holds a key of " + key.length + " bytes; a signing key must be " + MIN_WEBHOOK_KEY_BYTES
                    + " to " + MAX_WEBHOOK_KEY_BYTES + " random bytes; " + MAKE_WEBHOOK_SECRET);
        }
        return Optional.empty();
    }

    /** Absent: every event. */
    private static Set<String> events(Section s) {
        if (!s.has("events")) {
            return Set.copyOf(EVENTS);
        }
        Set<String> events = new LinkedHashSet<>();
        int problemsBefore = s.problems().all().size();
        List<Section.Item> items = s.texts("events", "a list, e.g. [ticket.created, followup.added]");
        for (Section.Item item : items) {
            String event = item.value().value().trim().toLowerCase(Locale.ROOT);
            if (EVENTS.contains(event)) {
                events.add(event);
            } else {
                String hint = KeySuggestions.closest(event, EVENTS).map(e -> "did you mean '" + e + "'?")
                        .orElse("write one of: " + String.join(", ", EVENTS));
                s.problems().add(item.path(), item.value().describe() + " is not an event; " + hint, item.line());
            }
        }
        if (items.isEmpty() && s.problems().all().size() == problemsBefore) {
            s.problems().add(s.path("events"), "lists no event; remove events to send all of them, or name some of: "
                    + String.join(", ", EVENTS), s.line("events"));
        }
        return events;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
