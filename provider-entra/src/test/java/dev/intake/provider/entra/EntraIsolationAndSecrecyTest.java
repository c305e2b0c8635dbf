package dev.intake.provider.entra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.intake.config.Secret;
import dev.intake.provider.AuthorizationCode;
import dev.intake.provider.AuthorizedGrant;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.Pkce;
import dev.intake.provider.TokenResponse;
import dev.intake.testing.CallbackServer;
import dev.intake.testing.CapturedLogs;
import dev.intake.testing.FakeAuthorizationServer.Failure;
import dev.intake.testing.OutboundConnections;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Entra provider talks to the configured authority only, and shows no secret anywhere. */
class EntraIsolationAndSecrecyTest {

    private final EntraTestBed bed = new EntraTestBed();

    @AfterEach
    void close() {
        bed.close();
    }

    @Test
    void aWholeLifecycleConnectsToNoHostButTheConfiguredAuthority() throws Exception {
        List<URI> connections;
        try (OutboundConnections outbound = OutboundConnections.record()) {
            IdentityProvider provider = bed.provider();
            AuthorizedGrant authorized = bed.authorize(provider);
            TokenResponse refreshed = provider.accessToken(authorized.grant());
            provider.accessToken(refreshed.rotatedGrant().orElseThrow());
            connections = outbound.connections();
        }

        String fake = "localhost:" + bed.fake.port();
        String callback = bed.callback.redirectUri().getAuthority();
        // msal4j's connections (and the test browser's) went to the fake and the callback, nowhere else:
        // no instance discovery at login.microsoftonline.com, no region lookup at 169.254.169.254
        assertThat(connections).isNotEmpty()
                .allSatisfy(uri -> assertThat(uri.getAuthority()).isIn(fake, callback));
        String tenantPrefix = "/" + EntraTestBed.TENANT + "/oauth2/v2.0/";
        assertThat(bed.fake.requests()).extracting(r -> r.path())
                .containsOnly(tenantPrefix + "authorize", tenantPrefix + "token");
        assertThat(bed.fake.tokenRequests("authorization_code")).isEqualTo(1);
        assertThat(bed.fake.tokenRequests("refresh_token")).isEqualTo(2);
    }

    @Test
    void noSecretAppearsInLogsExceptionsOrToString() throws Exception {
        List<String> shown = new ArrayList<>();
        Set<String> usedVerifiers = new LinkedHashSet<>();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            IdentityProvider provider = bed.provider();
            shown.add(provider.toString());

            Pkce pkce = Pkce.generate();
            usedVerifiers.add(pkce.verifier().reveal());
            CallbackServer.Callback arrived = bed.signIn(provider, pkce, "st");
            AuthorizationCode code = new AuthorizationCode(Secret.of(arrived.param("code")), bed.callback.redirectUri(), pkce.verifier());
            AuthorizedGrant authorized = provider.redeem(code);
            shown.add(authorized.toString());
            shown.add(code.toString());
            shown.add(describe(catchThrowable(() -> provider.redeem(code))));

            Pkce wrong = Pkce.generate();
            usedVerifiers.add(wrong.verifier().reveal());
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
            bed.fake.acceptClientSecrets("another-secret");
            shown.add(describe(catchThrowable(() -> provider.accessToken(refreshed.rotatedGrant().orElseThrow()))));
            bed.fake.revokeAll();
            shown.add(describe(catchThrowable(() -> bed.provider("another-secret").accessToken(refreshed.rotatedGrant().orElseThrow()))));
            shown.add(logs.text());
            assertThat(logs.lines()).as("DEBUG logging was captured").anyMatch(l -> l.startsWith("DEBUG"));
        }

        Set<String> secrets = new LinkedHashSet<>(bed.fake.secretsInPlay());
        secrets.add(EntraTestBed.SECRET);
        secrets.addAll(usedVerifiers);
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
