package dev.intake.testing.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.intake.config.Secret;
import dev.intake.provider.AccessToken;
import dev.intake.provider.AuthorizationCode;
import dev.intake.provider.AuthorizationFailedException;
import dev.intake.provider.AuthorizationRequest;
import dev.intake.provider.AuthorizedGrant;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.Grant;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.Pkce;
import dev.intake.provider.ProviderException;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.provider.TokenResponse;
import dev.intake.provider.TransientProviderException;
import dev.intake.testing.FakeCallbackServer;
import dev.intake.testing.CapturedLogs;
import dev.intake.testing.FakeAuthorizationServer;
import dev.intake.testing.FormEncoding;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link IdentityProvider} does against its provider's authorization server (here the fake of its
 * flavour), whatever library it uses: the authorization URL carries the state, the PKCE S256 challenge and the login
 * hint; a code is redeemed once into a grant and the signed-in account; a grant gives access tokens, and a rotated
 * grant when the server rotated the refresh token; a dead grant asks for re-authorization, a refused client secret
 * names its configuration key and keeps the grant, a server that fails or cannot be reached is a transient failure;
 * and no secret ever shows in an exception, a log line or a {@code toString}. With app-only access
 * ({@link IdentityProvider#appOnlyToken}) the application's own credentials get a token for a mailbox without any
 * grant, and credentials the server refuses are the operator's to fix, explained without showing the key.
 *
 * <p>A provider module's test extends it with its {@link ProviderTestBed} and says in {@link #explains} how its
 * provider words each failure. What only one provider does (its scopes, its error codes, its configuration mistakes)
 * stays in that test.
 */
public abstract class IdentityProviderContract<B extends ProviderTestBed> {

    /** The failures every provider meets and must explain in words an admin can act on. */
    protected enum FailureCase {
        /** A code redeemed with a verifier other than the one whose challenge the URL carried. */
        REFUSED_VERIFIER,
        /** A code redeemed a second time. */
        REUSED_CODE,
        /** A code redeemed after it expired. */
        EXPIRED_CODE,
        /** An ID token that names no address. */
        NO_ADDRESS,
        /** {@code invalid_grant} for a refresh token that expired. */
        EXPIRED_GRANT,
        /** {@code invalid_grant} for a refresh token the user or an admin revoked. */
        REVOKED_GRANT,
        /** {@code invalid_client}: the client secret is not (or no longer) the registered one. */
        REJECTED_SECRET,
        /** HTTP 5xx from the token endpoint. */
        SERVER_ERROR,
        /** HTTP 429 from the token endpoint. */
        THROTTLED,
        /** Nothing listens at the token endpoint. */
        UNREACHABLE,
        /** App-only: the server refuses the application's own credentials or their access to the mailbox. */
        APP_ONLY_REFUSED
    }

    /** The mailbox the app-only tests open. */
    protected static final String APP_ONLY_MAILBOX = "helpdesk@example.net";

    /** A fresh bed per test, closed after it. */
    protected B bed;
    /** {@code bed.provider()}: the provider as the app gets it. */
    protected IdentityProvider provider;

    /** A new test bed of the provider under test. */
    protected abstract B newTestBed();

    /**
     * Asserts how the provider words {@code failure}: its code and message. The contract has already checked the
     * exception's type and that it shows no secret.
     */
    protected abstract void explains(FailureCase failure, ProviderException e);

    @BeforeEach
    final void startTestBed() {
        bed = newTestBed();
        provider = bed.provider();
    }

    @AfterEach
    final void closeTestBed() {
        bed.close();
    }

    // ---- authorizing -------------------------------------------------------------------------------------------

    @Test
    void theAuthorizationUrlCarriesTheStateThePkceS256ChallengeAndTheLoginHint() throws Exception {
        Pkce pkce = Pkce.generate();
        URI url = provider.authorizationUrl(new AuthorizationRequest(bed.callback.redirectUri(), "st-123", pkce, bed.account()));

        assertThat(url.getScheme() + "://" + url.getAuthority() + url.getPath()).isEqualTo(bed.fake.authUri().toString());
        Map<String, String> query = FormEncoding.query(url);
        assertThat(query).containsEntry("client_id", bed.fake.clientId())
                .containsEntry("redirect_uri", bed.callback.redirectUri().toString())
                .containsEntry("response_type", "code")
                .containsEntry("state", "st-123")
                .containsEntry("code_challenge", pkce.challenge())
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("login_hint", bed.account());
        assertThat(url.toString()).doesNotContain(pkce.verifier().reveal()).doesNotContain(bed.clientSecret());
    }

    @Test
    void theCodeIsRedeemedIntoAGrantAndTheSignedInAccountInLowerCase() throws Exception {
        bed.fake.signInAs(bed.account().toUpperCase(Locale.ROOT));
        Pkce pkce = Pkce.generate();
        FakeCallbackServer.Callback arrived = bed.signIn(provider, pkce, "st-1");

        assertThat(arrived.param("state")).isEqualTo("st-1");
        AuthorizedGrant authorized = provider.redeem(new AuthorizationCode(
                Secret.of(arrived.param("code")), bed.callback.redirectUri(), pkce.verifier()));

        assertThat(authorized.account()).isEqualTo(bed.account());
        assertThat(authorized.grant().material()).contains(bed.fake.currentRefreshToken());
        assertThat(authorized.accessToken()).hasValueSatisfying(token -> {
            assertThat(token.value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()));
            assertThat(token.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
        });
        assertThat(bed.fake.tokenRequests("authorization_code")).isEqualTo(1);
    }

    @Test
    void aCodeRedeemedWithAnotherVerifierIsRefused() throws Exception {
        FakeCallbackServer.Callback arrived = bed.signIn(provider, Pkce.generate(), "st");

        explained(FailureCase.REFUSED_VERIFIER, AuthorizationFailedException.class, () -> provider.redeem(new AuthorizationCode(
                Secret.of(arrived.param("code")), bed.callback.redirectUri(), Pkce.generate().verifier())));
    }

    @Test
    void aCodeIsRedeemedOnlyOnce() throws Exception {
        Pkce pkce = Pkce.generate();
        FakeCallbackServer.Callback arrived = bed.signIn(provider, pkce, "st");
        AuthorizationCode code = new AuthorizationCode(Secret.of(arrived.param("code")), bed.callback.redirectUri(), pkce.verifier());
        provider.redeem(code);

        explained(FailureCase.REUSED_CODE, AuthorizationFailedException.class, () -> provider.redeem(code));
    }

    @Test
    void anExpiredCodeFailsTheAuthorization() {
        bed.fake.codeLifetime(Duration.ZERO);

        explained(FailureCase.EXPIRED_CODE, AuthorizationFailedException.class, () -> bed.authorize(provider));
    }

    @Test
    void anIdTokenWithoutAnyAddressFailsTheAuthorization() {
        bed.fake.idTokenClaims();

        AuthorizationFailedException e = explained(FailureCase.NO_ADDRESS, AuthorizationFailedException.class,
                () -> bed.authorize(provider));
        assertThat(e.code()).hasValue("no_address");
    }

    // ---- access tokens -----------------------------------------------------------------------------------------

    @Test
    void theGrantGivesAnAccessTokenThatExpiresWhenTheServerSays() throws Exception {
        bed.fake.accessTokenLifetime(Duration.ofMinutes(5));
        AuthorizedGrant authorized = bed.authorize(provider);

        TokenResponse response = provider.accessToken(authorized.grant());

        assertThat(response.accessToken().value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()));
        assertThat(response.accessToken().expiresAt())
                .isBetween(Instant.now().plus(Duration.ofMinutes(4)), Instant.now().plus(Duration.ofMinutes(6)));
    }

    @Test
    void withoutRotationTheSameGrantKeepsGivingTokens() throws Exception {
        bed.fake.rotateRefreshTokens(false);
        AuthorizedGrant authorized = bed.authorize(provider);

        TokenResponse first = provider.accessToken(authorized.grant());
        TokenResponse second = provider.accessToken(authorized.grant());

        assertThat(second.accessToken().value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()))
                .isNotEqualTo(first.accessToken().value().reveal());
        assertThat(bed.fake.tokenRequests("refresh_token")).isEqualTo(2);
        assertThat(bed.fake.issuedRefreshTokens()).hasSize(1);
    }

    @Test
    void aRotatedRefreshTokenComesBackAsTheRotatedGrantAndTheOldGrantDies() throws Exception {
        bed.fake.rotateRefreshTokens(true);
        AuthorizedGrant authorized = bed.authorize(provider);
        String firstRefreshToken = bed.fake.currentRefreshToken();

        TokenResponse refreshed = provider.accessToken(authorized.grant());

        assertThat(bed.fake.tokenRequests("refresh_token")).isEqualTo(1);
        assertThat(refreshed.accessToken().value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()));
        assertThat(refreshed.rotatedGrant()).hasValueSatisfying(rotated -> {
            assertThat(rotated).isNotEqualTo(authorized.grant());
            assertThat(rotated.material()).contains(bed.fake.currentRefreshToken()).doesNotContain(firstRefreshToken);
        });
        Grant rotated = refreshed.rotatedGrant().orElseThrow();
        assertThat(provider.accessToken(rotated).accessToken().value().reveal())
                .isEqualTo(last(bed.fake.issuedAccessTokens()));
        ReauthorizationRequiredException old = catchThrowableOfType(ReauthorizationRequiredException.class,
                () -> provider.accessToken(authorized.grant()));
        assertThat(old).as("the grant before the rotation").isNotNull().hasMessageContaining("Authorize the mailbox again");
    }

    @Test
    void anExpiredGrantNeedsReauthorization() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.failTokenRequests(1, FakeAuthorizationServer.Failure.INVALID_GRANT);

        assertThat(explained(FailureCase.EXPIRED_GRANT, ReauthorizationRequiredException.class,
                () -> provider.accessToken(authorized.grant())))
                .hasMessageContaining("Authorize the mailbox again");
    }

    @Test
    void aRevokedGrantNeedsReauthorization() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.revokeAll();

        assertThat(explained(FailureCase.REVOKED_GRANT, ReauthorizationRequiredException.class,
                () -> provider.accessToken(authorized.grant())))
                .hasMessageContaining("Authorize the mailbox again");
    }

    @Test
    void aRejectedClientSecretNamesItsKeyAndKeepsTheGrant() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.acceptClientSecrets("a-newer-secret");

        assertThat(explained(FailureCase.REJECTED_SECRET, ClientCredentialsRejectedException.class,
                () -> provider.accessToken(authorized.grant())))
                .hasMessageContaining(bed.config().clientSecretKey());

        // the operator sets the new secret: the app builds a new provider, and the same grant works again
        TokenResponse again = bed.provider("a-newer-secret").accessToken(authorized.grant());
        assertThat(again.accessToken().value().reveal()).isEqualTo(last(bed.fake.issuedAccessTokens()));
    }

    @Test
    void serverErrorsAndThrottlingAreTransientAndTheGrantSurvivesThem() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        bed.fake.failTokenRequests(1, FakeAuthorizationServer.Failure.SERVER_ERROR)
                .failTokenRequests(1, FakeAuthorizationServer.Failure.THROTTLED);

        explained(FailureCase.SERVER_ERROR, TransientProviderException.class, () -> provider.accessToken(authorized.grant()));
        explained(FailureCase.THROTTLED, TransientProviderException.class, () -> provider.accessToken(authorized.grant()));
        assertThat(provider.accessToken(authorized.grant()).accessToken().value().reveal())
                .isEqualTo(last(bed.fake.issuedAccessTokens()));
    }

    @Test
    void anUnreachableTokenEndpointIsTransient() throws Exception {
        AuthorizedGrant authorized = bed.authorize(provider);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        IdentityProvider unreachable = bed.provider(bed.configWithTokenEndpointOnPort(closedPort), bed.clientSecret());

        TransientProviderException e = explained(FailureCase.UNREACHABLE, TransientProviderException.class,
                () -> unreachable.accessToken(authorized.grant()));
        assertThat(e.code()).hasValue("network");
    }

    // ---- app-only ------------------------------------------------------------------------------------------------

    @Test
    void appOnlyAccessGetsATokenForTheMailboxWithoutAnyGrant() throws Exception {
        IdentityProvider app = bed.provider(bed.appOnlyConfig(), "");

        AccessToken token = app.appOnlyToken(APP_ONLY_MAILBOX);

        assertThat(bed.fake.issuedAccessTokens()).containsExactly(token.value().reveal());
        assertThat(token.validFor(Duration.ofMinutes(30), Instant.now())).isTrue();
        assertThat(bed.fake.issuedRefreshTokens()).as("nothing to store").isEmpty();
        assertThat(bed.fake.authorizationRequests()).as("no one signs in").isEmpty();
    }

    @Test
    void refusedAppOnlyCredentialsAreTheOperatorsToFixAndShowNoKey() {
        bed.refuseAppOnly();
        IdentityProvider app = bed.provider(bed.appOnlyConfig(), "");

        ClientCredentialsRejectedException e = explained(FailureCase.APP_ONLY_REFUSED,
                ClientCredentialsRejectedException.class, () -> app.appOnlyToken(APP_ONLY_MAILBOX));
        String shown = CapturedLogs.describe(e);
        for (String secret : bed.appOnlySecrets()) {
            assertThat(shown).doesNotContain(secret);
        }
    }

    // ---- secrets -------------------------------------------------------------------------------------------------

    @Test
    void noSecretShowsInLogsExceptionsOrToString() throws Exception {
        bed.fake.rotateRefreshTokens(true);
        List<String> shown = new ArrayList<>();
        Set<String> verifiers = new LinkedHashSet<>();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            IdentityProvider provider = bed.provider();
            shown.add(provider.toString());

            Pkce pkce = Pkce.generate();
            verifiers.add(pkce.verifier().reveal());
            shown.add(provider.authorizationUrl(new AuthorizationRequest(bed.callback.redirectUri(), "st", Pkce.generate(), null)).toString());
            FakeCallbackServer.Callback arrived = bed.signIn(provider, pkce, "st");
            AuthorizationCode code = new AuthorizationCode(Secret.of(arrived.param("code")), bed.callback.redirectUri(), pkce.verifier());
            AuthorizedGrant authorized = provider.redeem(code);
            shown.add(authorized.toString());
            shown.add(code.toString());
            shown.add(describe(catchThrowable(() -> provider.redeem(code))));

            Pkce wrong = Pkce.generate();
            verifiers.add(wrong.verifier().reveal());
            FakeCallbackServer.Callback second = bed.signIn(provider, Pkce.generate(), "st2");
            shown.add(describe(catchThrowable(() -> provider.redeem(new AuthorizationCode(
                    Secret.of(second.param("code")), bed.callback.redirectUri(), wrong.verifier())))));

            TokenResponse refreshed = provider.accessToken(authorized.grant());
            shown.add(refreshed.toString());
            shown.add(describe(catchThrowable(() -> provider.accessToken(authorized.grant()))));
            Grant rotated = refreshed.rotatedGrant().orElseThrow();
            for (FakeAuthorizationServer.Failure failure : FakeAuthorizationServer.Failure.values()) {
                bed.fake.failTokenRequests(1, failure);
                shown.add(describe(catchThrowable(() -> provider.accessToken(rotated))));
            }
            bed.fake.acceptClientSecrets("another-secret");
            shown.add(describe(catchThrowable(() -> provider.accessToken(rotated))));
            bed.fake.revokeAll();
            shown.add(describe(catchThrowable(() -> bed.provider("another-secret").accessToken(rotated))));
            shown.add(logs.text());
            assertThat(logs.lines()).as("DEBUG logging was captured").anyMatch(l -> l.startsWith("DEBUG"));
        }

        Set<String> secrets = new LinkedHashSet<>(bed.fake.secretsInPlay());
        secrets.add(bed.clientSecret());
        secrets.addAll(verifiers);
        assertThat(secrets).hasSizeGreaterThan(8);
        String everything = String.join("\n", shown);
        for (String secret : secrets) {
            assertThat(everything).as("a secret was shown").doesNotContain(secret);
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Work that fails with a provider's exception. */
    @FunctionalInterface
    protected interface Failing {
        void run() throws Exception;
    }

    /**
     * Runs {@code work}, which must fail with {@code type}; checks that the failure shows no secret in play and hands
     * it to {@link #explains}.
     */
    private <E extends ProviderException> E explained(FailureCase failure, Class<E> type, Failing work) {
        Throwable thrown = catchThrowable(work::run);
        assertThat(thrown).as(failure.name()).isInstanceOf(type);
        E e = type.cast(thrown);
        String shown = CapturedLogs.describe(e);
        for (String secret : secretsInPlay()) {
            assertThat(shown).as("%s shows a secret", failure).doesNotContain(secret);
        }
        explains(failure, e);
        return e;
    }

    private Set<String> secretsInPlay() {
        Set<String> secrets = new LinkedHashSet<>(bed.fake.secretsInPlay());
        secrets.add(bed.clientSecret());
        return secrets;
    }

    private static String describe(Throwable t) {
        assertThat(t).isNotNull();
        return CapturedLogs.describe(t);
    }

    /** The last of a fake's issued values. */
    protected static String last(List<String> values) {
        return values.get(values.size() - 1);
    }
}
