package dev.intake.provider.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.provider.AuthorizationFailedException;
import dev.intake.provider.AuthorizedGrant;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.ProviderException;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.provider.TransientProviderException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What Entra's token endpoint answers, as it answers it, becomes the failure an admin can act on. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EntraErrorsTest {

    private final EntraTestBed bed = new EntraTestBed();
    private IdentityProvider provider;
    private AuthorizedGrant authorized;

    @BeforeAll
    void authorizeOnce() throws ProviderException {
        bed.fake.rotateRefreshTokens(false);
        provider = bed.provider();
        authorized = bed.authorize(provider);
    }

    @AfterAll
    void close() {
        bed.close();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | invalid_grant         | AADSTS700082: The refresh token has expired due to inactivity.                       | REAUTHORIZE | AADSTS700082: The mailbox's refresh token expired because Intake did not use it for 90 days. Authorize the mailbox again.
            400 | invalid_grant         | AADSTS50173: The provided grant has expired due to it being revoked.                  | REAUTHORIZE | AADSTS50173: Entra revoked the grant, usually because the account's password was changed or reset
            400 | invalid_grant         | AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication. | REAUTHORIZE | AADSTS50076: Multi-factor authentication or a Conditional Access policy requires an interactive sign-in.
            400 | invalid_grant         | AADSTS53003: Access has been blocked by Conditional Access policies.                  | REAUTHORIZE | AADSTS53003: A Conditional Access policy blocks this sign-in.
            400 | invalid_grant         | AADSTS123456: Something Entra has not told us about yet.                              | REAUTHORIZE | AADSTS123456: Entra no longer accepts the stored grant: it was revoked or expired, or the password changed (Entra: "Something Entra has not told us about yet."). Authorize the mailbox again.
            400 | invalid_grant         | The grant is bad.                                                                     | REAUTHORIZE | invalid_grant: Entra no longer accepts the stored grant
            400 | invalid_scope         | AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource. | REAUTHORIZE | AADSTS28000: The request asked for scopes of two resources at once
            401 | invalid_client        | AADSTS7000222: The provided client secret keys for app 'x' are expired.               | CLIENT      | AADSTS7000222: The client secret has expired. Create a new client secret in the app registration (Certificates & secrets) and set its value as providers.entra.client-secret
            401 | invalid_client        | AADSTS7000215: Invalid client secret provided.                                        | CLIENT      | AADSTS7000215: Entra refused the client secret. Check providers.entra.client-secret: it must be the secret's Value, not its Secret ID.
            400 | unauthorized_client   | AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.     | CLIENT      | AADSTS700016: Entra knows no application with this client id in the tenant. Check providers.entra.client-id and providers.entra.tenant.
            503 | temporarily_unavailable | AADSTS90033: A transient error has occurred.                                        | TRANSIENT   | AADSTS90033: Entra had a transient error.
            502 | server_error          | AADSTS50000: There was an error issuing a token.                                      | TRANSIENT   | AADSTS50000: Entra is temporarily unavailable (HTTP 502). Intake will try again later.
            429 | temporarily_unavailable | AADSTS50196: The server terminated an operation because it encountered a client request loop. | TRANSIENT | AADSTS50196: Entra is throttling requests
            """)
    void refreshFailures(int status, String error, String description, String kind, String messageStart) {
        bed.fake.failTokenRequests(1, status, error, description);

        Class<? extends ProviderException> expected = switch (kind) {
            case "REAUTHORIZE" -> ReauthorizationRequiredException.class;
            case "CLIENT" -> ClientCredentialsRejectedException.class;
            default -> TransientProviderException.class;
        };
        assertThatThrownBy(() -> provider.accessToken(authorized.grant()))
                .isInstanceOf(expected)
                .hasMessageStartingWith(messageStart)
                .hasMessageNotContaining("Trace ID");
    }

    @Test
    void aCodeRefusedForAReasonThatWouldKillAGrantOnlyFailsTheAuthorization() {
        bed.fake.failTokenRequests(1, 400, "invalid_grant", "AADSTS50076: you must use multi-factor authentication.");

        assertThatThrownBy(() -> bed.authorize(provider))
                .isInstanceOf(AuthorizationFailedException.class)
                .hasMessageStartingWith("AADSTS50076: ");
    }

    @Test
    void callbackErrorsWithoutAKnownNumberStillSayWhatToDo() {
        assertThat(provider.explainCallbackError("temporarily_unavailable", null))
                .hasMessage("temporarily_unavailable: Entra had a temporary problem. Try the authorization again in a few minutes.");
        assertThat(provider.explainCallbackError("invalid_request", "AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource."))
                .hasMessageStartingWith("AADSTS28000: The request asked for scopes of two resources at once");
        assertThat(provider.explainCallbackError("invalid_request", "AADSTS999999: Brand new problem.\r\nTrace ID: abc"))
                .hasMessage("AADSTS999999: Entra refused the sign-in (Entra: \"Brand new problem.\"). Authorize again; if it persists, look the code up in Entra's sign-in logs.");
        assertThat(provider.explainCallbackError(null, null).code()).hasValue("unknown_error");
    }
}
