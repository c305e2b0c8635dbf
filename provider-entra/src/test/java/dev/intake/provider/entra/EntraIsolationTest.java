package dev.intake.provider.entra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.provider.AuthorizedGrant;
import dev.intake.provider.IdentityProvider;
import dev.intake.provider.TokenResponse;
import dev.intake.testing.OutboundConnections;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Entra provider talks to the configured authority only: msal4j looks up nothing at Microsoft. (That it shows no
 * secret anywhere is part of the contract, {@link EntraIdentityProviderTest}.)
 */
class EntraIsolationTest {

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
}
