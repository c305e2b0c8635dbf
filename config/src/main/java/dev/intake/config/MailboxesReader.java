package dev.intake.config;

import dev.intake.config.SecretReferences.Resolved;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code mailboxes}: each collected mailbox, checked against the providers configured. */
final class MailboxesReader {

    static final List<String> KEYS = List.of(
            "id", "provider", "address", "delegate", "auth", "folder", "accepted-folder", "refused-folder", "post-action",
            "create-folders", "poll-every", "max-per-run", "max-message-size", "max-attachment-size", "initial-sync",
            "paused", "requester", "date", "blocked-senders", "imap-host", "imap-port", "mode", "idle-reissue-every",
            "idle-safety-poll-every", "deliver-to");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** One {@code @} with something on both sides; {@code *} stands for any run of characters. */
    private static final Pattern SENDER_PATTERN = Pattern.compile("[^\\s@]+@[^\\s@]+");
    private static final long MAX_SIZE = 1024L * 1024 * 1024;

    private static final Map<String, PostAction> POST_ACTIONS = Section.words(PostAction.values());
    private static final Map<String, CollectionMode> MODES = Section.words(CollectionMode.values());
    private static final Map<String, DateSource> DATES = Section.words(DateSource.values());
    /** {@code requester} chooses between From and Reply-To; the model keeps it as {@code useReplyTo}. */
    private static final Map<String, Boolean> REQUESTER = new LinkedHashMap<>();

    static {
        REQUESTER.put("from", false);
        REQUESTER.put("reply-to", true);
    }

    private MailboxesReader() {
    }

    static List<MailboxConfig> read(Section top, Map<String, ProviderConfig> providers, DeliveryConfig delivery) {
        List<MailboxConfig> mailboxes = new ArrayList<>();
        Map<String, String> pathOfId = new HashMap<>();
        List<YamlNode> items = top.list("mailboxes", "one entry per mailbox, each starting with - id:");
        for (int i = 0; i < items.size(); i++) {
            String at = "mailboxes[" + i + "]";
            Section s = Section.of(at, items.get(i), top.context(), KEYS, "id, provider, address...");
            String id = id(s, pathOfId);
            mailboxes.add(mailbox(id, s, providers, delivery));
        }
        return mailboxes;
    }

    private static String id(Section s, Map<String, String> pathOfId) {
        String id = s.requiredString("id", "give the mailbox a short id, e.g. id: support");
        if (id.isEmpty()) {
            return id;
        }
        if (!ID.matcher(id).matches()) {
            s.problems().add(s.path("id"), "'" + id + "' is not a usable id; use lower-case letters, digits, '-' and '_'"
                    + " (up to 63), starting with a letter or digit", s.line("id"));
        } else if (pathOfId.containsKey(id)) {
            s.problems().add(s.path("id"), "'" + id + "' is already the id of " + pathOfId.get(id)
                    + "; give each mailbox its own id", s.line("id"));
        } else {
            pathOfId.put(id, s.path());
        }
        return id;
    }

    private static MailboxConfig mailbox(String id, Section s, Map<String, ProviderConfig> configured,
            DeliveryConfig delivery) {
        Set<String> providers = configured.keySet();
        String provider = s.requiredString("provider", providers.isEmpty()
                ? "configure a provider under providers and name it here"
                : "name one of the configured providers (" + String.join(", ", providers) + ")");
        if (!provider.isEmpty() && !providers.contains(provider)) {
            String known = providers.isEmpty()
                    ? "; none is configured: add it under providers"
                    : " (" + String.join(", ", providers) + ")"
                            + KeySuggestions.closest(provider, providers).map(p -> "; did you mean '" + p + "'?").orElse("");
            s.problems().add(s.path("provider"), "'" + provider + "' is not a configured provider" + known,
                    s.line("provider"));
        }
        String address = s.requiredChecked("address",
                "give the mailbox's email address, the IMAP user, e.g. support@example.com", Values::email);
        Optional<String> delegate = s.checked("delegate", Values::email);
        AuthMode auth = auth(s, Optional.ofNullable(configured.get(provider)));
        if (auth == AuthMode.APP && delegate.isPresent()) {
            s.problems().add(s.path("delegate"), "an app-only mailbox is opened by the application itself, so no"
                    + " delegate signs in; remove delegate, or write auth: delegated", s.line("delegate"));
        }

        String folder = s.string("folder", Defaults.FOLDER);
        Optional<String> accepted = s.optionalString("accepted-folder");
        Optional<String> refused = s.optionalString("refused-folder");
        for (String key : List.of("accepted-folder", "refused-folder")) {
            s.optionalString(key).filter(f -> f.equalsIgnoreCase(folder)).ifPresent(f -> s.problems().add(s.path(key),
                    "is the collected folder itself ('" + folder + "'); name another folder, e.g. Intake/Accepted",
                    s.line(key)));
        }
        PostAction postAction = s.choice("post-action", POST_ACTIONS)
                .orElse(Defaults.postAction(accepted.isPresent()));
        if (postAction == PostAction.MOVE && accepted.isEmpty()) {
            s.problems().add(s.path("post-action"), "move needs accepted-folder; add accepted-folder: Intake/Accepted,"
                    + " or choose seen or delete", s.line("post-action"));
        }

        return new MailboxConfig(
                id,
                provider,
                address,
                delegate,
                auth,
                folder,
                accepted,
                refused,
                postAction,
                s.bool("create-folders", Defaults.CREATE_FOLDERS),
                s.duration("poll-every", Defaults.POLL_EVERY, Duration.ofSeconds(1)),
                s.integer("max-per-run", Defaults.MAX_PER_RUN, 1, 10_000),
                s.size("max-message-size", Defaults.MAX_MESSAGE_SIZE, MAX_SIZE),
                s.size("max-attachment-size", Defaults.MAX_ATTACHMENT_SIZE, MAX_SIZE),
                initialSync(s),
                s.bool("paused", Defaults.PAUSED),
                s.choice("requester", REQUESTER).orElse(Defaults.USE_REPLY_TO),
                s.choice("date", DATES).orElse(Defaults.DATE_SOURCE),
                blockedSenders(s),
                s.checked("imap-host", Values::host),
                s.optionalInteger("imap-port", 1, 65535),
                mode(s),
                idleSettings(s),
                deliverTo(s, delivery));
    }

    private static CollectionMode mode(Section s) {
        CollectionMode mode = s.choice("mode", MODES).orElse(Defaults.MODE);
        if (mode != CollectionMode.IDLE) {
            for (String key : List.of("idle-reissue-every", "idle-safety-poll-every")) {
                if (s.has(key)) {
                    s.problems().add(s.path(key), "applies only to mode: idle, and this mailbox is polled; add mode: idle"
                            + " or remove " + key, s.line(key));
                }
            }
        }
        return mode;
    }

    private static IdleSettings idleSettings(Section s) {
        Duration reissue = s.duration("idle-reissue-every", Defaults.IDLE_REISSUE_EVERY, Duration.ofSeconds(1));
        if (reissue.compareTo(Defaults.IDLE_REISSUE_MAX) > 0) {
            s.problems().add(s.path("idle-reissue-every"), Durations.format(reissue) + " is too long: Gmail and Exchange"
                    + " end an IDLE after about 29-30 minutes; write " + Durations.format(Defaults.IDLE_REISSUE_MAX)
                    + " or less (the default is " + Durations.format(Defaults.IDLE_REISSUE_EVERY) + ")",
                    s.line("idle-reissue-every"));
            reissue = Defaults.IDLE_REISSUE_EVERY;
        }
        Duration safety = s.duration("idle-safety-poll-every", Defaults.IDLE_SAFETY_POLL_EVERY, Duration.ofSeconds(1));
        return new IdleSettings(reissue, safety);
    }

    /** The mailbox's own {@code auth}, else its provider's; delegated access needs the provider's client secret. */
    private static AuthMode auth(Section s, Optional<ProviderConfig> provider) {
        AuthMode auth = s.choice("auth", ProvidersReader.AUTH)
                .orElse(provider.map(ProviderConfig::auth).orElse(Defaults.AUTH));
        if (auth == AuthMode.DELEGATED && provider.isPresent() && provider.get().clientSecret().isEmpty()) {
            s.problems().add(s.path(s.has("auth") ? "auth" : "provider"), "delegated access (a person signs in) needs"
                    + " providers." + provider.get().name() + ".client-secret, which is not set; set it, or write"
                    + " auth: app for this mailbox", s.line(s.has("auth") ? "auth" : "provider"));
        }
        return auth;
    }

    private static InitialSync initialSync(Section s) {
        Optional<Resolved> written = s.text("initial-sync");
        if (written.isEmpty()) {
            return Defaults.INITIAL_SYNC;
        }
        String word = written.get().value().trim().toLowerCase(Locale.ROOT);
        return switch (word) {
            case "new" -> new InitialSync.OnlyNew();
            case "unread" -> new InitialSync.Unread();
            case "all" -> new InitialSync.All();
            default -> {
                if (!Character.isDigit(word.isEmpty() ? ' ' : word.charAt(0))) {
                    s.problems().add(s.path("initial-sync"), written.get().describe() + " is not one of: new, unread,"
                            + " all, or a duration such as 7d", s.line("initial-sync"));
                    yield Defaults.INITIAL_SYNC;
                }
                yield s.parseDuration(written.get(), s.path("initial-sync"), s.line("initial-sync"), Duration.ofSeconds(1))
                        .<InitialSync>map(InitialSync.UnreadWithin::new)
                        .orElse(Defaults.INITIAL_SYNC);
            }
        };
    }

    /** Absent: every target of {@code delivery.targets}; {@code []}: none (tickets stay in Intake). */
    private static Optional<List<String>> deliverTo(Section s, DeliveryConfig delivery) {
        if (!s.has("deliver-to")) {
            return Optional.empty();
        }
        List<String> configured = delivery.targets().stream().map(DeliveryTargetConfig::name).toList();
        List<String> names = new ArrayList<>();
        for (Section.Item item : s.texts("deliver-to", "a list of target names, e.g. [helpdesk], or [] for none")) {
            String name = item.value().value().trim();
            if (configured.contains(name)) {
                if (!names.contains(name)) {
                    names.add(name);
                }
                continue;
            }
            String known = configured.isEmpty()
                    ? "; none is configured: add it under delivery.targets"
                    : " (" + String.join(", ", configured) + ")"
                            + KeySuggestions.closest(name, configured).map(n -> "; did you mean '" + n + "'?").orElse("");
            s.problems().add(item.path(), item.value().describe() + " is not a delivery target" + known, item.line());
        }
        return Optional.of(names);
    }

    /** Stored lower-case: addresses are matched without regard to case. */
    private static List<String> blockedSenders(Section s) {
        List<String> patterns = new ArrayList<>();
        for (Section.Item item : s.texts("blocked-senders", "one address or pattern per line, e.g. - \"*@spam.example\"")) {
            String pattern = item.value().value().trim().toLowerCase(Locale.ROOT);
            if (SENDER_PATTERN.matcher(pattern).matches()) {
                patterns.add(pattern);
            } else {
                String hint = pattern.contains("@") ? "" : "; for a whole domain write *@" + pattern;
                s.problems().add(item.path(), item.value().describe() + " is not an address pattern; write an address,"
                        + " *@spam.example (a domain) or noreply@* (a local part)" + hint, item.line());
            }
        }
        return patterns;
    }
}
