package dev.intake.app.oauth;

import dev.intake.app.store.AuthorizationStore;
import dev.intake.app.store.MailboxStore;
import dev.intake.app.store.StoredAuthorization;
import dev.intake.app.store.Transactions;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import dev.intake.provider.AccessToken;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.ProviderException;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.provider.TokenResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens for IMAP: kept in memory only and reused until shortly before they expire, so a mailbox polled
 * every minute asks the provider once per token lifetime, not once per poll.
 *
 * <p>A refresh holds the mailbox's authorization row locked (SELECT ... FOR UPDATE) from reading the grant until the
 * rotated grant is committed, so two threads or two nodes never refresh with the same refresh token, and a rotated
 * refresh token is stored before the new access token is used.
 *
 * <p>An app-only mailbox ({@code auth: app}) has no grant: its token comes from the application's own credentials in
 * the configuration, so there is nothing to lock or store, and a refusal is the operator's to fix rather than a
 * reason to ask for a new authorization.
 */
public final class TokenService {

    /** Refresh when less than this is left: a long IMAP session must not outlive its token. */
    static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);

    private static final Logger log = LoggerFactory.getLogger(TokenService.class);

    private final Supplier<IntakeConfig> config;
    private final Transactions transactions;
    private final AuthorizationStore authorizations;
    private final MailboxStore mailboxes;
    private final ProviderRegistry providers;
    private final Clock clock;
    private final AuthorizationEvents events;
    private final TokenObserver observer;
    private final Map<String, AccessToken> cache = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public TokenService(Supplier<IntakeConfig> config, Transactions transactions, AuthorizationStore authorizations, MailboxStore mailboxes, ProviderRegistry providers,
            Clock clock, AuthorizationEvents events, TokenObserver observer) {
        this.config = config;
        this.transactions = transactions;
        this.authorizations = authorizations;
        this.mailboxes = mailboxes;
        this.providers = providers;
        this.clock = clock;
        this.events = events;
        this.observer = observer;
    }

    /**
     * A token good for at least {@link #EXPIRY_MARGIN}.
     *
     * @throws NotAuthorizedException when the mailbox has no stored grant
     * @throws ReauthorizationRequiredException when the provider refused the grant; the mailbox is then marked
     *         as needing re-authorization and its polling stops
     */
    public AccessToken accessToken(String mailboxId) throws ProviderException {
        AccessToken cached = cache.get(mailboxId);
        if (cached != null && cached.validFor(EXPIRY_MARGIN, clock.instant())) {
            return cached;
        }
        ReentrantLock lock = locks.computeIfAbsent(mailboxId, id -> new ReentrantLock());
        lock.lock();
        try {
            cached = cache.get(mailboxId);
            if (cached != null && cached.validFor(EXPIRY_MARGIN, clock.instant())) {
                return cached;
            }
            Optional<MailboxConfig> mailbox = config.get().mailbox(mailboxId);
            AccessToken fresh = mailbox.isPresent() && mailbox.get().appOnly() ? appOnly(mailbox.get()) : refresh(mailboxId);
            cache.put(mailboxId, fresh);
            return fresh;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the cached token, e.g. after the IMAP server refused it; the next call refreshes. */
    public void invalidate(String mailboxId) {
        cache.remove(mailboxId);
    }

    /** Keeps a token that came with a fresh authorization, so the first poll needs no refresh. */
    public void remember(String mailboxId, AccessToken token) {
        cache.put(mailboxId, token);
    }

    private AccessToken appOnly(MailboxConfig mailbox) throws ProviderException {
        try {
            AccessToken token = providers.appOnlyToken(mailbox.provider(), mailbox.address());
            mailboxes.recordTokenRefresh(mailbox.id());
            observer.refreshed(mailbox.id(), "ok");
            return token;
        } catch (ProviderException e) {
            observer.refreshed(mailbox.id(), e instanceof ClientCredentialsRejectedException ? "client" : "transient");
            throw e;
        }
    }

    private AccessToken refresh(String mailboxId) throws ProviderException {
        try {
            AccessToken token = transactions.inTransaction(tx -> {
                StoredAuthorization auth = authorizations.findLocked(tx, mailboxId)
                        .orElseThrow(() -> new NotAuthorizedException(mailboxId));
                TokenResponse response;
                try {
                    response = providers.call(auth.provider(), p -> p.accessToken(auth.grant()));
                } catch (ProviderException e) {
                    throw new Wrapped(e);
                }
                Optional<dev.intake.provider.Grant> rotated = response.rotatedGrant();
                if (rotated.isPresent()) {
                    authorizations.saveRotated(tx, mailboxId, rotated.get());
                    log.debug("Stored the rotated grant before using the new access token");
                }
                return response.accessToken();
            });
            mailboxes.recordTokenRefresh(mailboxId);
            observer.refreshed(mailboxId, "ok");
            return token;
        } catch (Wrapped w) {
            ProviderException e = w.cause;
            observer.refreshed(mailboxId, e instanceof ReauthorizationRequiredException ? "reauthorize"
                    : e instanceof ClientCredentialsRejectedException ? "client" : "transient");
            if (e instanceof ReauthorizationRequiredException) {
                cache.remove(mailboxId);
                mailboxes.markNeedsReauthorization(mailboxId, e.getMessage());
                log.warn("Mailbox needs re-authorization: {}", e.getMessage());
                events.authorizationChanged(mailboxId);
            }
            throw e;
        }
    }

    /** Carries a provider failure out of the transaction as an unchecked exception, so that it rolls back. */
    private static final class Wrapped extends RuntimeException {
        final ProviderException cause;

        Wrapped(ProviderException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }
}
