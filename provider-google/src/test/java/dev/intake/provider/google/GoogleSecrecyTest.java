package dev.intake.provider.google;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.intake.config.Secret;
import dev.intake.provider.AuthorizationCode;
import dev.intake.provider.AuthorizationRequest;
import dev.intake.provider.AuthorizedGrant;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.Pkce;
import dev.intake.provider.ProviderContext;
import dev.intake.provider.TokenResponse;
import dev.intake.testing.CallbackServer;
import dev.intake.testing.CapturedLogs;
import dev.intake.testing.FakeAuthorizationServer.Failure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** No token, code, verifier or client secret shows in logs (SLF4J and java.util.logging), exceptions or toString. */
class GoogleSecrecyTest {

    private final GoogleTestBed bed = new GoogleTestBed();

    @AfterEach
    void close() {
        bed.close();
    }

    @Test
    void noSecretIsShown() throws Exception {
        bed.fake.rotateRefreshTokens(true);
        List<String> shown = new ArrayList<>();
        Set<String> verifiers = new LinkedHashSet<>();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            IdentityProvider provider = bed.provider();
            shown.add(provider.toString());

            Pkce pkce = Pkce.generate();
            verifiers.add(pkce.verifier().reveal());
            shown.add(provider.authorizationUrl(new AuthorizationRequest(bed.callback.redirectUri(), "st", Pkce.generate(), null)).toString());
            CallbackServer.Callback arrived = bed.signIn(provider, pkce, "st");
            AuthorizationCode code = new AuthorizationCode(Secret.of(arrived.param("code")), bed.callback.redirectUri(), pkce.verifier());
            AuthorizedGrant authorized = provider.redeem(code);
            shown.add(authorized.toString());
            shown.add(code.toString());
            shown.add(describe(catchThrowable(() -> provider.redeem(code))));

            Pkce wrong = Pkce.generate();
            verifiers.add(wrong.verifier().reveal());
            CallbackServer.Callback second = bed.signIn(provider, Pkce.generate(), "st2");
            shown.add(describe(catchThrowable(() -> provider.redeem(new AuthorizationCode(
                    Secret.of(second.param("code")), bed.callback.redirectUri(), wrong.verifier())))));

            TokenResponse refreshed = provider.accessToken(authorized.grant());
            shown.add(refreshed.toString());
            shown.add(describe(catchThrowable(() -> provider.accessToken(authorized.grant()))));
            for (Failure failure : Failure.values()) {
                bed.fake.failTokenRequests(1, failure);
                shown.add(describe(catchThrowable(() -> provider.accessToken(refreshed.rotatedGrant().orElseThrow()))));
            }
            bed.fake.acceptClientSecrets("GOCSPX-another");
            shown.add(describe(catchThrowable(() -> provider.accessToken(refreshed.rotatedGrant().orElseThrow()))));
            bed.fake.revokeAll();
            shown.add(describe(catchThrowable(() -> bed.provider("GOCSPX-another", ProviderContext.defaults())
                    .accessToken(refreshed.rotatedGrant().orElseThrow()))));
            shown.add(logs.text());
            assertThat(logs.lines()).as("DEBUG logging was captured").anyMatch(l -> l.startsWith("DEBUG"));
        }

        Set<String> secrets = new LinkedHashSet<>(bed.fake.secretsInPlay());
        secrets.add(GoogleTestBed.SECRET);
        secrets.addAll(verifiers);
        assertThat(secrets).hasSizeGreaterThan(8);
        String everything = String.join("\n", shown);
        for (String secret : secrets) {
            assertThat(everything).as("a secret was shown").doesNotContain(secret);
        }
    }

    private static String describe(Throwable t) {
        assertThat(t).isNotNull();
        return CapturedLogs.describe(t);
    }
}
