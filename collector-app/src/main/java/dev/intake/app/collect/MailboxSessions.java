package dev.intake.app.collect;

import dev.intake.app.imap.ImapAuthenticationException;
import dev.intake.app.imap.ImapConnector;
import dev.intake.app.imap.ImapException;
import dev.intake.app.imap.ImapSession;
import dev.intake.app.imap.ImapTarget;
import dev.intake.app.oauth.ProviderRegistry;
import dev.intake.app.oauth.TokenService;
import dev.intake.config.ImapSecurity;
import dev.intake.config.MailboxConfig;
import dev.intake.config.ProviderConfig;
import dev.intake.provider.ImapEndpoint;
import dev.intake.provider.ProviderException;
import dev.intake.provider.AccessToken;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens an authenticated IMAP session for a mailbox: its server (the mailbox's, the provider's, or the provider's
 * default), an access token, SASL XOAUTH2. A cached token the server refuses (revoked, expired early) is refreshed
 * once.
 */
public final class MailboxSessions {

    private static final Logger log = LoggerFactory.getLogger(MailboxSessions.class);

    private final TokenService tokens;
    private final ProviderRegistry providers;
    private final Supplier<ImapConnector> imap;

    public MailboxSessions(TokenService tokens, ProviderRegistry providers, Supplier<ImapConnector> imap) {
        this.tokens = tokens;
        this.providers = providers;
        this.imap = imap;
    }

    /**
     * @throws ProviderException when no access token can be had (the mailbox's state is updated by the token service)
     * @throws ImapException when the server cannot be reached or refuses a fresh token too
     */
    public ImapSession open(MailboxConfig mailbox, ProviderConfig provider) throws ProviderException, ImapException {
        ImapTarget target = target(mailbox, provider);
        try {
            return imap.get().open(target, tokens.accessToken(mailbox.id()).value());
        } catch (ImapAuthenticationException e) {
            tokens.invalidate(mailbox.id());
            log.info("The IMAP server refused the access token; refreshing it once");
            return imap.get().open(target, tokens.accessToken(mailbox.id()).value());
        }
    }

    /**
     * The failure with the provider's reading of the server's answer put first, when it has one: Exchange Online's
     * "User is authenticated but not connected", for one, means a step outside Intake is missing.
     */
    public ImapException explained(MailboxConfig mailbox, ProviderConfig provider, ImapException e) {
        try {
            return providers.explainImapRefusal(provider.name(), e.getMessage(), mailbox.address(), mailbox.appOnly())
                    .map(e::withAdvice)
                    .orElse(e);
        } catch (RuntimeException unexplained) {
            // the provider could not be built (a configuration changed meanwhile): the failure stands as it is
            e.addSuppressed(unexplained);
            return e;
        }
    }

    /**
     * {@link #open}, for a session kept open for a long time (IMAP IDLE): it also says when its access token expires,
     * since Exchange ends a session with {@code BYE ... AccessTokenExpired} then, and the session should be renewed
     * with a fresh token before that.
     */
    public LongLived openLongLived(MailboxConfig mailbox, ProviderConfig provider) throws ProviderException, ImapException {
        ImapTarget target = target(mailbox, provider);
        AccessToken token = tokens.accessToken(mailbox.id());
        try {
            return new LongLived(imap.get().open(target, token.value()), token.expiresAt());
        } catch (ImapAuthenticationException e) {
            tokens.invalidate(mailbox.id());
            log.info("The IMAP server refused the access token; refreshing it once");
            AccessToken fresh = tokens.accessToken(mailbox.id());
            return new LongLived(imap.get().open(target, fresh.value()), fresh.expiresAt());
        }
    }

    /** A session and when the access token it authenticated with expires. */
    public record LongLived(ImapSession session, Instant tokenExpiresAt) {
    }

    /** The token was refused mid-session ({@code BYE ... AccessTokenExpired}): the next session gets a new one. */
    public void tokenExpired(String mailboxId) {
        tokens.invalidate(mailboxId);
    }

    /** Where the mailbox is reached: its own server, else its provider's, else the provider's default. */
    public ImapTarget target(MailboxConfig mailbox, ProviderConfig provider) throws ProviderException {
        ImapEndpoint defaults = providers.call(provider.name(), p -> p.imapDefaults());
        String host = mailbox.imapHost().or(provider::imapHost).orElse(defaults.host());
        int port = mailbox.imapPort().or(provider::imapPort).orElse(
                provider.imapSecurity() == ImapSecurity.STARTTLS && provider.imapPort().isEmpty() ? 143 : defaults.port());
        return ImapTarget.of(host, port, provider.imapSecurity(), mailbox.address());
    }
}
