package dev.intake.app.check;

import dev.intake.app.check.ConnectionReport.Outcome;
import dev.intake.app.check.ConnectionReport.Step;
import dev.intake.app.collect.MailboxSessions;
import dev.intake.app.imap.ImapAuthenticationException;
import dev.intake.app.imap.ImapConnectException;
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

/**
 * Test connection: takes the steps a collection takes before it reads mail (an access token, the IMAP connection,
 * the XOAUTH2 login, the collected folder) and says for each whether it worked, with the failure in a sentence that
 * says what to do. It reads nothing and changes nothing, so it may run beside a collection; it is how an admin checks
 * an app-only mailbox, which no Authorize click ever tests, and a delegated one after a change at the provider.
 */
public final class ConnectionCheck {

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
        String folderStep = "Open folder " + mailbox.folder();
        List<Step> steps = new ArrayList<>();

        AccessToken token;
        try {
            // a cached token proves nothing about the provider now
            tokens.invalidate(mailboxId);
            token = tokens.accessToken(mailboxId);
            steps.add(new Step(TOKEN, Outcome.OK, (mailbox.appOnly() ? "App-only token" : "Token for "
                    + mailbox.signInAccount()) + " from " + provider.name() + ", valid until " + token.expiresAt() + "."));
        } catch (ProviderException e) {
            return failed(mailboxId, steps, TOKEN, e.getMessage(), CONNECT, LOGIN, folderStep);
        } catch (NotAuthorizedException e) {
            return failed(mailboxId, steps, TOKEN, "The mailbox is not authorized yet: choose Authorize and sign in as "
                    + mailbox.signInAccount() + " (or run intake authorize " + mailboxId + ").", CONNECT, LOGIN, folderStep);
        }

        ImapTarget target;
        try {
            target = sessions.target(mailbox, provider);
        } catch (ProviderException e) {
            return failed(mailboxId, steps, CONNECT, e.getMessage(), LOGIN, folderStep);
        }
        try (ImapSession session = imap.get().open(target, token.value())) {
            steps.add(new Step(CONNECT, Outcome.OK, "Connected to " + target.address() + " (" + target.security()
                    .toString().toLowerCase(java.util.Locale.ROOT) + ")."));
            steps.add(new Step(LOGIN, Outcome.OK, "Logged in as " + target.user() + "."));
            try (ImapFolder folder = session.openFolder(mailbox.folder())) {
                steps.add(new Step(folderStep, Outcome.OK, "Opened; UIDVALIDITY " + folder.uidValidity() + "."));
            } catch (ImapException e) {
                steps.add(new Step(folderStep, Outcome.FAILED, sessions.explained(mailbox, provider, e).getMessage()));
            }
            return new ConnectionReport(mailboxId, steps);
        } catch (ImapConnectException e) {
            return failed(mailboxId, steps, CONNECT, sessions.explained(mailbox, provider, e).getMessage(), LOGIN, folderStep);
        } catch (ImapAuthenticationException e) {
            steps.add(new Step(CONNECT, Outcome.OK, "Connected to " + target.address() + "."));
            return failed(mailboxId, steps, LOGIN, sessions.explained(mailbox, provider, e).getMessage(), folderStep);
        } catch (ImapException e) {
            steps.add(new Step(CONNECT, Outcome.OK, "Connected to " + target.address() + "."));
            return failed(mailboxId, steps, LOGIN, sessions.explained(mailbox, provider, e).getMessage(), folderStep);
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

    private static ConnectionReport failed(String mailboxId, List<Step> steps, String step, String why, String... notTried) {
        steps.add(new Step(step, Outcome.FAILED, why));
        for (String name : notTried) {
            steps.add(new Step(name, Outcome.NOT_TRIED, ""));
        }
        return new ConnectionReport(mailboxId, steps);
    }
}
