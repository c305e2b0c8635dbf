package dev.intake.app.oauth;

import dev.intake.app.store.AuthorizationStore;
import dev.intake.app.store.OAuthStateStore;
import dev.intake.app.store.PendingAuthorization;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import dev.intake.config.Secret;
import dev.intake.provider.AuthorizationCode;
import dev.intake.provider.AuthorizationFailedException;
import dev.intake.provider.AuthorizationRequest;
import dev.intake.provider.AuthorizedGrant;
import dev.intake.provider.Pkce;
import dev.intake.provider.ProviderException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser authorization of a mailbox: authorization code with PKCE through Intake's own callback.
 *
 * <p>The state is 256 random bits, stored (hashed) so that any node can finish the attempt, single use, bound to
 * the mailbox and provider, and valid for ten minutes. The callback needs no admin session: with Entra's
 * form_post the browser's POST comes cross-site and carries no SameSite cookie, so the stored state is what
 * identifies the attempt.
 */
public final class AuthorizationService {

    public static final Duration STATE_TTL = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(AuthorizationService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<IntakeConfig> config;
    private final ProviderRegistry providers;
    private final OAuthStateStore states;
    private final AuthorizationStore authorizations;
    private final TokenService tokens;
    private final Clock clock;
    private final AuthorizationEvents events;
    private final java.util.List<Consumer<CallbackOutcome>> outcomeListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public AuthorizationService(Supplier<IntakeConfig> config, ProviderRegistry providers, OAuthStateStore states,
            AuthorizationStore authorizations, TokenService tokens, Clock clock, AuthorizationEvents events) {
        this.config = config;
        this.providers = providers;
        this.states = states;
        this.authorizations = authorizations;
        this.tokens = tokens;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Starts an attempt for a configured mailbox and returns the provider URL to send the browser to.
     *
     * @throws UnknownMailboxException when the configuration has no such mailbox
     * @throws AppOnlyMailboxException when the mailbox is opened with app-only access, which no one signs in for
     */
    public URI begin(String mailboxId) throws ProviderException {
        IntakeConfig cfg = config.get();
        MailboxConfig mailbox = cfg.mailbox(mailboxId).orElseThrow(() -> new UnknownMailboxException(mailboxId));
        if (mailbox.appOnly()) {
            // a grant stored for it would never be used, and would outlive the person who gave it
            throw new AppOnlyMailboxException(mailboxId);
        }
        String state = newState();
        Pkce pkce = Pkce.generate();
        URI redirect = cfg.server().redirectUri();
        URI url = providers.call(mailbox.provider(), p ->
                p.authorizationUrl(new AuthorizationRequest(redirect, state, pkce, mailbox.signInAccount())));
        states.create(state, mailboxId, mailbox.provider(), pkce.verifier(), redirect, STATE_TTL);
        log.info("Authorization of mailbox '{}' started; expecting {} to sign in", mailboxId, mailbox.signInAccount());
        return url;
    }

    /** Told of every callback's outcome (used by {@code intake authorize} to report what the browser saw). */
    public void addOutcomeListener(Consumer<CallbackOutcome> listener) {
        outcomeListeners.add(listener);
    }

    /**
     * Finishes an attempt from the callback's parameters (query for Google, form body for Entra). Never throws for
     * bad input: a forged, replayed or expired state, a provider error, or a wrong account becomes a
     * {@link CallbackOutcome.Refused} and nothing is stored.
     */
    public CallbackOutcome complete(Optional<String> code, Optional<String> state, Optional<String> error,
            Optional<String> errorDescription) {
        CallbackOutcome outcome = decide(code, state, error, errorDescription);
        outcomeListeners.forEach(l -> l.accept(outcome));
        return outcome;
    }

    private CallbackOutcome decide(Optional<String> code, Optional<String> state, Optional<String> error,
            Optional<String> errorDescription) {
        if (state.isEmpty() || state.get().isBlank()) {
            return refused(400, "This sign-in cannot be finished",
                    "The provider's answer carries no state, so Intake cannot tell which mailbox it is for. "
                            + "Start again from the mailbox's Authorize button.", null);
        }
        Optional<PendingAuthorization> pending = states.consume(state.get());
        if (pending.isEmpty()) {
            return refused(400, "This sign-in link is not valid",
                    "The sign-in was already finished, or it did not start from this Intake. Each sign-in link works once; "
                            + "start again from the mailbox's Authorize button.", null);
        }
        PendingAuthorization attempt = pending.get();
        String mailboxId = attempt.mailboxId();
        if (attempt.expiresAt().isBefore(clock.instant())) {
            return refused(400, "This sign-in took too long",
                    "Sign-in links expire after " + STATE_TTL.toMinutes() + " minutes. Start again from the mailbox's "
                            + "Authorize button.", mailboxId);
        }
        Optional<MailboxConfig> mailbox = config.get().mailbox(mailboxId);
        if (mailbox.isEmpty() || !mailbox.get().provider().equals(attempt.provider())) {
            return refused(400, "This mailbox changed while you signed in",
                    "Mailbox '" + mailboxId + "' is no longer configured with provider '" + attempt.provider()
                            + "'. Check collector.yaml and start again.", mailboxId);
        }
        if (error.isPresent()) {
            return providerError(attempt, error.get(), errorDescription.orElse(""));
        }
        if (code.isEmpty() || code.get().isBlank()) {
            return refused(400, "The provider sent no authorization code",
                    "Start again from the mailbox's Authorize button.", mailboxId);
        }
        return redeem(mailbox.get(), attempt, Secret.of(code.get()));
    }

    private CallbackOutcome redeem(MailboxConfig mailbox, PendingAuthorization attempt, Secret code) {
        String mailboxId = mailbox.id();
        AuthorizedGrant granted;
        try {
            granted = providers.call(attempt.provider(),
                    p -> p.redeem(new AuthorizationCode(code, attempt.redirectUri(), attempt.codeVerifier())));
        } catch (ProviderException e) {
            log.warn("Authorization of mailbox '{}' failed: {}", mailboxId, e.getMessage());
            return refused(e instanceof AuthorizationFailedException ? 400 : 502,
                    "The provider did not complete the sign-in", e.getMessage(), mailboxId);
        }
        String expected = mailbox.signInAccount().toLowerCase(Locale.ROOT);
        String account = granted.account().toLowerCase(Locale.ROOT);
        if (!account.equals(expected)) {
            log.warn("Authorization of mailbox '{}' refused: {} signed in, {} was expected", mailboxId, account, expected);
            return refused(403, "The wrong account signed in",
                    account + " signed in, but mailbox '" + mailboxId + "' expects " + expected
                            + (mailbox.delegate().isPresent() ? " (the delegate of the shared mailbox " + mailbox.address() + ")" : "")
                            + ". Nothing was stored. Start again and choose " + expected
                            + " in the account picker (sign out of other accounts if single sign-on picks one for you).",
                    mailboxId);
        }
        authorizations.authorize(mailboxId, attempt.provider(), account, granted.grant());
        granted.accessToken().ifPresent(t -> tokens.remember(mailboxId, t));
        log.info("Mailbox '{}' authorized by {}", mailboxId, account);
        events.authorizationChanged(mailboxId);
        return new CallbackOutcome.Authorized(mailboxId, account);
    }

    private CallbackOutcome providerError(PendingAuthorization attempt, String error, String description) {
        String explanation;
        try {
            explanation = providers.call(attempt.provider(), p -> p.explainCallbackError(error, description)).getMessage();
        } catch (ProviderException | RuntimeException e) {
            explanation = "The provider answered '" + error + "'. Start again from the mailbox's Authorize button.";
        }
        log.warn("Authorization of mailbox '{}' ended with the provider error '{}'", attempt.mailboxId(), error);
        return refused(400, "The sign-in did not complete", explanation, attempt.mailboxId());
    }

    private static CallbackOutcome refused(int status, String title, String explanation, String mailboxId) {
        return new CallbackOutcome.Refused(status, title, explanation, Optional.ofNullable(mailboxId));
    }

    private static String newState() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The mailbox is opened with the application's own credentials ({@code auth: app}): there is nothing to authorize. */
    public static final class AppOnlyMailboxException extends RuntimeException {
        public AppOnlyMailboxException(String id) {
            super("mailbox '" + id + "' uses app-only access (auth: app): Intake opens it with the application's own"
                    + " credentials and no one signs in for it. Use Test connection (intake test " + id + ") to check it,"
                    + " or write auth: delegated to have a person authorize it");
        }
    }

    /** The configuration has no mailbox with this id. */
    public static final class UnknownMailboxException extends RuntimeException {
        public UnknownMailboxException(String id) {
            super("mailbox '" + id + "' is not configured in collector.yaml");
        }
    }
}
