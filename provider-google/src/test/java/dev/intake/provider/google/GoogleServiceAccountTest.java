package dev.intake.provider.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.intake.config.AuthMode;
import dev.intake.config.ImapSecurity;
import dev.intake.config.ProviderConfig;
import dev.intake.config.Secret;
import dev.intake.provider.AccessToken;
import dev.intake.provider.ClientCredentialsRejectedException;
import dev.intake.provider.IdentityProvider;
import dev.intake.testing.FakeAuthorizationServer.RecordedRequest;
import dev.intake.testing.TestServiceAccount;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** App-only access at Google: a service account's JWT bearer grant with domain-wide delegation, {@code sub} = mailbox. */
class GoogleServiceAccountTest {

    private static final String MAILBOX = "helpdesk@example.org";

    private final GoogleTestBed bed = new GoogleTestBed();
    private final TestServiceAccount account = bed.fake.serviceAccount("intake@intake-test.iam.gserviceaccount.com");

    @AfterEach
    void close() {
        bed.close();
    }

    /** The key file names Google's real token URI; the provider's token-uri decides where tokens come from. */
    private IdentityProvider provider(TestServiceAccount key) {
        ProviderConfig config = new ProviderConfig("google", GoogleIdentityProvider.TYPE, GoogleTestBed.CLIENT_ID,
                AuthMode.APP, Secret.of(""), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                ImapSecurity.TLS, new GoogleSettings(bed.fake.authUri(), bed.fake.tokenUri(),
                        Optional.of(Secret.of(key.jsonKey(URI.create("https://oauth2.googleapis.com/token"))))));
        return bed.provider(config, "");
    }

    @Test
    void delegatedServiceAccountGetsATokenForTheMailbox() throws Exception {
        bed.fake.allowDomainWideDelegation(account, "https://mail.google.com/");

        AccessToken token = provider(account).appOnlyToken(MAILBOX);

        assertThat(bed.fake.issuedAccessTokens()).containsExactly(token.value().reveal());
        assertThat(bed.fake.appOnlySubjects()).containsExactly(MAILBOX);
        RecordedRequest request = bed.fake.requests().get(bed.fake.requests().size() - 1);
        assertThat(request.param("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
        SignedJWT assertion = SignedJWT.parse(request.param("assertion"));
        assertThat(assertion.getJWTClaimsSet().getSubject()).isEqualTo(MAILBOX);
        assertThat(assertion.getJWTClaimsSet().getIssuer()).isEqualTo(account.email());
        assertThat(assertion.getJWTClaimsSet().getStringClaim("scope")).isEqualTo("https://mail.google.com/");
    }

    @Test
    void withoutDomainWideDelegationTheAdminConsoleStepIsExplained() {
        assertThatThrownBy(() -> provider(account).appOnlyToken(MAILBOX))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageStartingWith("unauthorized_client: ")
                .hasMessageContaining("Domain Wide Delegation")
                .hasMessageContaining("client ID " + account.clientId() + " with the OAuth scope https://mail.google.com/");
    }

    @Test
    void delegationForOtherScopesOnlyIsNotEnough() {
        bed.fake.allowDomainWideDelegation(account, "https://www.googleapis.com/auth/gmail.readonly");

        assertThatThrownBy(() -> provider(account).appOnlyToken(MAILBOX))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageStartingWith("unauthorized_client: ");
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefused() {
        TestServiceAccount stranger;
        try (GoogleTestBed elsewhere = new GoogleTestBed()) {
            stranger = elsewhere.fake.serviceAccount(account.email());
        }
        bed.fake.allowDomainWideDelegation(account, "https://mail.google.com/");

        assertThatThrownBy(() -> provider(stranger).appOnlyToken(MAILBOX))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageStartingWith("invalid_grant: ")
                .hasMessageContaining("service account key");
    }

    @Test
    void withoutAServiceAccountKeyTheKeyToSetIsNamed() {
        assertThatThrownBy(() -> bed.provider().appOnlyToken(MAILBOX))
                .isInstanceOf(ClientCredentialsRejectedException.class)
                .hasMessageContaining("providers.google.service-account-key");
    }
}
