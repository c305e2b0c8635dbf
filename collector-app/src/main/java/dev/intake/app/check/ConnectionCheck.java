package dev.intake.app.check;

import dev.intake.app.check.ConnectionReport.Outcome;
import dev.intake.app.check.ConnectionReport.Step;
import dev.intake.app.collect.MailboxSessions;
import dev.intake.app.imap.ImapAuthenticationException;
import dev.intake.app.imap.ImapConnector;
import dev.intake.app.imap.ImapException;
import dev.intake.app.imap.ImapFolder;
import dev.intake.app.imap.ImapSession;
import dev.intake.app.imap.ImapTarget;
import dev.intake.app.oauth.NotAuthorizedException;
import dev.intake.app.oauth.ProviderRegistry;
import dev.intake.app.oauth.TokenService;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import dev.intake.config.ProviderConfig;
import dev.intake.provider.AccessToken;
import dev.intake.provider.ProviderException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test connection: takes the steps a collection takes before it reads mail (an access token, the IMAP connection,
 * the XOAUTH2 login, the collected folder) and says for each whether it worked, with the failure in a sentence that
 * says what to do. It reads nothing and changes nothing, so it may run beside a collection; it is how an admin checks
 * an app-only mailbox, which no Authorize click ever tests, and a delegated one after a change at the provider.
 */
public final class ConnectionCheck {

    private static final Logger log = LoggerFactory.getLogger(ConnectionCheck.class);

    static final String TOKEN = "Access token";
    static final String CONNECT = "IMAP connection";
    static final String LOGIN = "XOAUTH2 login";

    private final Supplier<IntakeConfig> config;
    private final TokenService tokens;
    private final MailboxSessions sessions;
    private final Supplier<ImapConnector> imap;
    private final ProviderRegistry providers;

    public ConnectionCheck(Supplier<IntakeConfig> config, TokenService tokens, MailboxSessions sessions,
            Supplier<ImapConnector> imap, ProviderRegistry providers) {
        this.providers = providers;
        this.config = config;
        this.tokens = tokens;
        this.sessions = sessions;
        this.imap = imap;
    }

    /** @throws IllegalArgumentException when the configuration has no such mailbox */
    public ConnectionReport test(String mailboxId) {
        IntakeConfig cfg = config.get();
        MailboxConfig mailbox = cfg.mailbox(mailboxId)
                .orElseThrow(() -> new IllegalArgumentException("mailbox '" + mailboxId + "' is not configured"));
        ProviderConfig provider = cfg.provider(mailbox.provider()).orElseThrow();
        Attempt attempt = new Attempt(mailboxId, List.of(TOKEN, CONNECT, LOGIN, "Open folder " + mailbox.folder()));
        try {
            return steps(attempt, mailbox, provider);
        } catch (RuntimeException e) {
            // A check is what an admin runs when something is wrong: it reports even what nobody foresaw.
            log.warn("Test connection of mailbox {} failed unexpectedly at {}", mailboxId, attempt.current(), e);
            return attempt.failed("Unexpected error (" + e.getClass().getSimpleName() + "); the log of this node has the "
                    + "details. Try again; if it persists, report it with that log.");
        }
    }

    private ConnectionReport steps(Attempt attempt, MailboxConfig mailbox, ProviderConfig provider) {
        AccessToken token;
        try {
            // a cached token proves nothing about the provider now
            tokens.invalidate(mailbox.id());
            token = tokens.accessToken(mailbox.id());
            attempt.ok((mailbox.appOnly() ? "App-only token" : "Token for " + mailbox.signInAccount()) + " from "
                    + provider.name() + ", valid until " + token.expiresAt() + ".");
        } catch (ProviderException e) {
            return attempt.failed(e.getMessage());
        } catch (NotAuthorizedException e) {
            return attempt.failed("The mailbox is not authorized yet: choose Authorize and sign in as "
                    + mailbox.signInAccount() + " (or run intake authorize " + mailbox.id() + ").");
        }

        ImapTarget target;
        try {
            target = sessions.target(mailbox, provider);
        } catch (ProviderException e) {
            return attempt.failed(e.getMessage());
        }
        ImapSession opened;
        try {
            opened = imap.get().open(target, token.value());
        } catch (ImapAuthenticationException e) {
            attempt.ok("Connected to " + target.address() + ".");
            return attempt.failed(sessions.explained(mailbox, provider, e).getMessage());
        } catch (ImapException e) {
            // Anything but the server refusing the token happened before the login was answered.
            return attempt.failed(sessions.explained(mailbox, provider, e).getMessage());
        }
        try (ImapSession session = opened) {
            attempt.ok("Connected to " + target.address() + " (" + target.security().toString()
                    .toLowerCase(java.util.Locale.ROOT) + ").");
            attempt.ok("Logged in as " + target.user() + ".");
            try (ImapFolder folder = session.openFolder(mailbox.folder())) {
                attempt.ok("Opened; UIDVALIDITY " + folder.uidValidity() + ".");
            } catch (ImapException e) {
                attempt.failed(sessions.explained(mailbox, provider, e).getMessage());
            }
            return attempt.report();
        }
    }

    /**
     * For an app-only mailbox, what the admin must do outside Intake before it opens, as its provider words it;
     * empty for a delegated mailbox, or when the provider cannot be built from the configuration as it stands.
     */
    public List<String> appOnlySetup(String mailboxId) {
        IntakeConfig cfg = config.get();
        return cfg.mailbox(mailboxId).filter(MailboxConfig::appOnly).map(m -> {
            try {
                return providers.appOnlySetup(m.provider(), m.address());
            } catch (RuntimeException e) {
                return List.<String>of();
            }
        }).orElse(List.of());
    }

    /** The steps of one check in their order: each reported once, those after a failure as not tried. */
    private static final class Attempt {

        private final String mailboxId;
        private final List<String> names;
        private final List<Step> steps = new ArrayList<>();

        Attempt(String mailboxId, List<String> names) {
            this.mailboxId = mailboxId;
            this.names = names;
        }

        String current() {
            return steps.size() < names.size() ? names.get(steps.size()) : names.get(names.size() - 1);
        }

        void ok(String detail) {
            steps.add(new Step(current(), Outcome.OK, detail));
        }

        ConnectionReport failed(String why) {
            if (steps.size() == names.size()) {
                steps.remove(steps.size() - 1);
            }
            steps.add(new Step(current(), Outcome.FAILED, why));
            for (String name : names.subList(steps.size(), names.size())) {
                steps.add(new Step(name, Outcome.NOT_TRIED, ""));
            }
            return report();
        }

        ConnectionReport report() {
            return new ConnectionReport(mailboxId, List.copyOf(steps));
        }
    }
}
