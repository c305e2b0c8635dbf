package dev.intake.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.provider.Pkce;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake keeps the rules provider tests rely on; spoken to here with plain HTTP, no OAuth library. */
class FakeAuthorizationServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeCallbackServer callback = FakeCallbackServer.start();
    private FakeAuthorizationServer fake;

    @AfterEach
    void stop() {
        callback.close();
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void entraAnswersWithAnAutoPostingFormThatTheBrowserSubmits() {
        fake = FakeAuthorizationServer.entra("contoso.example").clientId("app").signInAs("alice@contoso.example");
        Pkce pkce = Pkce.generate();

        Browser.Page page = Browser.trustingTestCertificates().open(authorize(pkce, "form_post", "s1",
                "https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid profile email"));

        assertThat(page.status()).isEqualTo(200);
        Callback arrived = Callback.of(callback.last());
        assertThat(arrived.method).isEqualTo("POST");
        assertThat(arrived.params).containsEntry("state", "s1").containsKeys("code", "session_state");
    }

    @Test
    void codeIsSingleUseAndBoundToTheVerifier() throws Exception {
        fake = FakeAuthorizationServer.entra("contoso.example").clientId("app").acceptClientSecrets("s3cret");
        Pkce pkce = Pkce.generate();
        Browser.trustingTestCertificates().open(authorize(pkce, "query", "s", "https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid"));
        String code = callback.last().param("code");

        HttpResponse<String> wrongVerifier = token(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", callback.redirectUri().toString(), "code_verifier", Pkce.generate().verifier().reveal(),
                "client_id", "app", "client_secret", "s3cret"));
        assertThat(wrongVerifier.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wrongVerifier.body()).get("error_description").asText()).startsWith("AADSTS501481");

        HttpResponse<String> again = token(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", callback.redirectUri().toString(), "code_verifier", pkce.verifier().reveal(),
                "client_id", "app", "client_secret", "s3cret"));
        assertThat(JSON.readTree(again.body()).get("error_description").asText()).startsWith("AADSTS54005");
    }

    @Test
    void entraIssuesClientInfoAnIdTokenAndRotatesRefreshTokens() throws Exception {
        fake = FakeAuthorizationServer.entra("contoso.example").clientId("app").acceptClientSecrets("s3cret")
                .signInAs("Bob@Contoso.example").idTokenClaims(FakeAuthorizationServer.AddressClaim.UPN);
        JsonNode tokens = redeem(Pkce.generate(), "https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid profile");

        JsonNode clientInfo = JSON.readTree(Base64.getUrlDecoder().decode(tokens.get("client_info").asText()));
        assertThat(clientInfo.get("utid").asText()).isEqualTo(fake.tenantId());
        JsonNode idToken = claims(tokens.get("id_token").asText());
        assertThat(idToken.get("upn").asText()).isEqualTo("Bob@Contoso.example");
        assertThat(idToken.has("email")).isFalse();
        assertThat(idToken.has("preferred_username")).isFalse();

        String first = tokens.get("refresh_token").asText();
        JsonNode refreshed = JSON.readTree(token(refreshForm(first, "s3cret")).body());
        assertThat(refreshed.get("refresh_token").asText()).isNotEqualTo(first).isEqualTo(fake.currentRefreshToken());

        HttpResponse<String> old = token(refreshForm(first, "s3cret"));
        assertThat(old.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(old.body()).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(fake.tokenRequests("refresh_token")).isEqualTo(2);
    }

    @Test
    void refusesScopesOfTwoResources() throws Exception {
        fake = FakeAuthorizationServer.entra("contoso.example").clientId("app");
        Browser.trustingTestCertificates().open(authorize(Pkce.generate(), "query", "s",
                "https://outlook.office.com/IMAP.AccessAsUser.All https://graph.microsoft.com/User.Read openid"));
        assertThat(callback.last().param("error_description")).startsWith("AADSTS28000");
    }

    @Test
    void secretRotationAndInjectedFailures() throws Exception {
        fake = FakeAuthorizationServer.entra("contoso.example").clientId("app").acceptClientSecrets("old");
        String refreshToken = redeem(Pkce.generate(), "https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid", "old")
                .get("refresh_token").asText();
        fake.acceptClientSecrets("new");

        HttpResponse<String> oldSecret = token(refreshForm(refreshToken, "old"));
        assertThat(oldSecret.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(oldSecret.body()).get("error_codes").get(0).asLong()).isEqualTo(7000215L);

        fake.failTokenRequests(1, FakeAuthorizationServer.Failure.THROTTLED);
        HttpResponse<String> throttled = token(refreshForm(refreshToken, "new"));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();

        assertThat(token(refreshForm(refreshToken, "new")).statusCode()).isEqualTo(200);

        fake.revokeAll();
        HttpResponse<String> revoked = token(refreshForm(fake.issuedRefreshTokens().get(1), "new"));
        assertThat(JSON.readTree(revoked.body()).get("error_description").asText()).startsWith("AADSTS50173");
    }

    @Test
    void googleRedirectsWithTheCodeAndKeepsItsRefreshToken() throws Exception {
        fake = FakeAuthorizationServer.google().clientId("gapp").acceptClientSecrets("gs").signInAs("carol@example.org");
        Pkce pkce = Pkce.generate();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", "gapp");
        query.put("redirect_uri", callback.redirectUri().toString());
        query.put("response_type", "code");
        query.put("scope", "https://mail.google.com/ openid email");
        query.put("access_type", "offline");
        query.put("state", "g1");
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        new Browser().open(FormEncoding.withQuery(fake.authUri(), query));
        assertThat(callback.last().method()).isEqualTo("GET");
        String code = callback.last().param("code");

        JsonNode tokens = JSON.readTree(token(Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", callback.redirectUri().toString(), "code_verifier", pkce.verifier().reveal(),
                "client_id", "gapp", "client_secret", "gs")).body());
        assertThat(claims(tokens.get("id_token").asText()).get("email").asText()).isEqualTo("carol@example.org");

        JsonNode refreshed = JSON.readTree(token(Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token").asText(), "client_id", "gapp", "client_secret", "gs")).body());
        assertThat(refreshed.has("refresh_token")).isFalse();
        assertThat(refreshed.get("access_token").asText()).startsWith("ya29.");

        fake.fixedAccessToken("token-for-greenmail").accessTokenLifetime(java.time.Duration.ofMinutes(2));
        JsonNode fixed = JSON.readTree(token(Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.get("refresh_token").asText(), "client_id", "gapp", "client_secret", "gs")).body());
        assertThat(fixed.get("access_token").asText()).isEqualTo("token-for-greenmail");
        assertThat(fixed.get("expires_in").asLong()).isEqualTo(120);
        assertThat(fake.issuedAccessTokens()).last().isEqualTo("token-for-greenmail");
    }

    // ---- helpers ----

    private record Callback(String method, Map<String, String> params) {
        static Callback of(FakeCallbackServer.Callback c) {
            return new Callback(c.method(), c.params());
        }
    }

    private URI authorize(Pkce pkce, String responseMode, String state, String scope) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", "app");
        query.put("redirect_uri", callback.redirectUri().toString());
        query.put("response_type", "code");
        query.put("response_mode", responseMode);
        query.put("scope", scope);
        query.put("state", state);
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        return FormEncoding.withQuery(fake.authUri(), query);
    }

    private JsonNode redeem(Pkce pkce, String scope) throws Exception {
        return redeem(pkce, scope, "s3cret");
    }

    private JsonNode redeem(Pkce pkce, String scope, String secret) throws Exception {
        Browser.trustingTestCertificates().open(authorize(pkce, "form_post", "s", scope));
        HttpResponse<String> response = token(Map.of("grant_type", "authorization_code", "code", callback.last().param("code"),
                "redirect_uri", callback.redirectUri().toString(), "code_verifier", pkce.verifier().reveal(),
                "client_id", "app", "client_secret", secret, "scope", scope));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static Map<String, String> refreshForm(String refreshToken, String secret) {
        return Map.of("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", "app",
                "client_secret", secret, "scope", "https://outlook.office.com/IMAP.AccessAsUser.All offline_access openid");
    }

    private HttpResponse<String> token(Map<String, String> form) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.get().clientContext()).build();
        return client.send(HttpRequest.newBuilder(fake.tokenUri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(FormEncoding.encode(form))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.", -1)[1]), StandardCharsets.UTF_8));
    }
}
