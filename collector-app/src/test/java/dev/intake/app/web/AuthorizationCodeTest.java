package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.app.apiclient.ApiClients;
import dev.intake.app.apiclient.ClientSpec;
import dev.intake.app.apiclient.GrantType;
import dev.intake.app.apiclient.IpRanges;
import dev.intake.app.apiclient.Scope;
import dev.intake.app.support.IntakeFixture;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The authorization code grant with PKCE: an application acting for a signed-in admin who consents, exact redirect
 * URIs, codes and refresh tokens used once, and the reuse of a refresh token ending the whole authorization.
 */
class AuthorizationCodeTest {

    static final String REDIRECT = "https://app.example.com/oauth/callback";
    static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more";

    @TempDir
    Path dir;

    IntakeFixture fx;
    WebClient admin;
    ApiClients.ClientWithSecret app;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() {
        fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com");
        fx.start();
        app = fx.intake().apiClients().create(new ClientSpec("Dashboard", "", EnumSet.of(GrantType.AUTHORIZATION_CODE),
                Set.of(Scope.TICKETS_READ, Scope.MAILBOXES_READ), IpRanges.ANYWHERE, List.of(REDIRECT), true));
        admin = new WebClient(fx).signIn();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void theAdminConsentsAndTheApplicationActsForThemWithRotatingRefreshTokens() throws Exception {
        HttpResponse<String> consent = admin.get(authorizeUrl(REDIRECT, challenge(VERIFIER), "tickets:read"));
        assertThat(consent.statusCode()).isEqualTo(200);
        Document page = Jsoup.parse(consent.body());
        assertThat(page.select("h1").text()).contains("Dashboard");
        assertThat(page.select("#consent-scopes").text()).contains("tickets:read").doesNotContain("mailboxes:read");

        String code = approve(page);
        HttpResponse<String> issued = token("grant_type=authorization_code&code=" + code + "&redirect_uri="
                + enc(REDIRECT) + "&code_verifier=" + VERIFIER);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        JsonNode tokens = json.readTree(issued.body());
        assertThat(tokens.get("scope").asText()).isEqualTo("tickets:read");
        String access = tokens.get("access_token").asText();
        String refresh = tokens.get("refresh_token").asText();
        assertThat(bearer("/api/tickets", access).statusCode()).isEqualTo(200);
        assertThat(bearer("/api/mailboxes", access).statusCode()).isEqualTo(403);

        HttpResponse<String> again = token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + enc(REDIRECT)
                + "&code_verifier=" + VERIFIER);
        assertThat(json.readTree(again.body()).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(bearer("/api/tickets", access).statusCode()).as("a code used twice revokes what it gave")
                .isEqualTo(401);

        // A fresh authorization, then its refresh token rotates, and reusing the old one ends the family.
        String code2 = approve(Jsoup.parse(admin.get(authorizeUrl(REDIRECT, challenge(VERIFIER), "tickets:read")).body()));
        JsonNode second = json.readTree(token("grant_type=authorization_code&code=" + code2 + "&redirect_uri="
                + enc(REDIRECT) + "&code_verifier=" + VERIFIER).body());
        String refresh1 = second.get("refresh_token").asText();
        JsonNode rotated = json.readTree(token("grant_type=refresh_token&refresh_token=" + refresh1).body());
        String refresh2 = rotated.get("refresh_token").asText();
        String access2 = rotated.get("access_token").asText();
        assertThat(refresh2).isNotEqualTo(refresh1);
        assertThat(bearer("/api/tickets", access2).statusCode()).isEqualTo(200);

        HttpResponse<String> reused = token("grant_type=refresh_token&refresh_token=" + refresh1);
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(json.readTree(reused.body()).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(json.readTree(token("grant_type=refresh_token&refresh_token=" + refresh2).body()).get("error").asText())
                .as("the rotated refresh token dies with its family").isEqualTo("invalid_grant");
        assertThat(bearer("/api/tickets", access2).statusCode()).isEqualTo(401);
        assertThat(refresh).isNotEqualTo(refresh1);
    }

    @Test
    void revokingARefreshTokenEndsTheAccessTokensOfItsAuthorizationAndNoOther() throws Exception {
        JsonNode signedOut = authorize();
        JsonNode other = authorize();
        String access = signedOut.get("access_token").asText();
        assertThat(bearer("/api/tickets", access).statusCode()).isEqualTo(200);

        HttpResponse<String> revoked = revoke(signedOut.get("refresh_token").asText());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);

        assertThat(bearer("/api/tickets", access).statusCode()).as("the access token of the revoked grant").isEqualTo(401);
        assertThat(json.readTree(token("grant_type=refresh_token&refresh_token="
                + signedOut.get("refresh_token").asText()).body()).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(bearer("/api/tickets", other.get("access_token").asText()).statusCode())
                .as("another authorization of the same application").isEqualTo(200);
        // An access token revoked alone leaves its refresh token working.
        assertThat(revoke(other.get("access_token").asText()).statusCode()).isEqualTo(200);
        assertThat(token("grant_type=refresh_token&refresh_token=" + other.get("refresh_token").asText()).statusCode())
                .isEqualTo(200);
    }

    private JsonNode authorize() throws Exception {
        String code = approve(Jsoup.parse(admin.get(authorizeUrl(REDIRECT, challenge(VERIFIER), "tickets:read")).body()));
        HttpResponse<String> issued = token("grant_type=authorization_code&code=" + code + "&redirect_uri=" + enc(REDIRECT)
                + "&code_verifier=" + VERIFIER);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        return json.readTree(issued.body());
    }

    @Test
    void aWrongVerifierOrRedirectUriGetsNoToken() throws Exception {
        String code = approve(Jsoup.parse(admin.get(authorizeUrl(REDIRECT, challenge(VERIFIER), "")).body()));
        HttpResponse<String> wrongVerifier = token("grant_type=authorization_code&code=" + code + "&redirect_uri="
                + enc(REDIRECT) + "&code_verifier=" + VERIFIER.replace('d', 'e'));
        assertThat(wrongVerifier.statusCode()).isEqualTo(400);
        assertThat(json.readTree(wrongVerifier.body()).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(json.readTree(wrongVerifier.body()).get("error_description").asText()).contains("code_verifier");

        HttpResponse<String> wrongRedirect = token("grant_type=authorization_code&code=" + code + "&redirect_uri="
                + enc(REDIRECT + "/other") + "&code_verifier=" + VERIFIER);
        assertThat(json.readTree(wrongRedirect.body()).get("error").asText()).isEqualTo("invalid_grant");
        assertThat(json.readTree(wrongRedirect.body()).get("error_description").asText()).contains("redirect_uri");

        // An unregistered redirect URI is never redirected to: the admin sees why instead.
        HttpResponse<String> unregistered = admin.get(authorizeUrl("https://evil.example/steal", challenge(VERIFIER), ""));
        assertThat(unregistered.statusCode()).isEqualTo(400);
        assertThat(unregistered.headers().firstValue("Location")).isEmpty();
        assertThat(unregistered.body()).contains("must match exactly");

        // No PKCE: refused back to the application.
        HttpResponse<String> noPkce = admin.get("/oauth2/authorize?response_type=code&client_id=" + app.client().clientId()
                + "&redirect_uri=" + enc(REDIRECT) + "&state=s1");
        assertThat(noPkce.statusCode()).isEqualTo(303);
        assertThat(WebClient.location(noPkce).toString()).startsWith(REDIRECT).contains("error=invalid_request")
                .contains("state=s1");

        // Only the code flow: an implicit grant is refused back to the application.
        HttpResponse<String> implicit = admin.get("/oauth2/authorize?response_type=token&client_id=" + app.client().clientId()
                + "&redirect_uri=" + enc(REDIRECT) + "&state=s2");
        assertThat(WebClient.location(implicit).toString()).contains("error=unsupported_response_type");

        // Declining sends access_denied back.
        Document page = Jsoup.parse(admin.get(authorizeUrl(REDIRECT, challenge(VERIFIER), "")).body());
        Map<String, String> form = fields(page);
        form.put("decision", "deny");
        HttpResponse<String> declined = admin.post("/oauth2/authorize", form);
        assertThat(WebClient.location(declined).toString()).contains("error=access_denied");
    }

    private String authorizeUrl(String redirect, String challenge, String scope) {
        return "/oauth2/authorize?response_type=code&client_id=" + app.client().clientId() + "&redirect_uri=" + enc(redirect)
                + "&state=xyz&code_challenge=" + challenge + "&code_challenge_method=S256"
                + (scope.isEmpty() ? "" : "&scope=" + enc(scope));
    }

    private String approve(Document page) {
        Map<String, String> form = fields(page);
        form.put("decision", "approve");
        HttpResponse<String> back = admin.post("/oauth2/authorize", form);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
        URI location = WebClient.location(back);
        assertThat(location.toString()).startsWith(REDIRECT + "?");
        Map<String, String> query = Arrays.stream(location.getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
        assertThat(query.get("state")).isEqualTo("xyz");
        return query.get("code");
    }

    private static Map<String, String> fields(Document page) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        page.select("form[action=/oauth2/authorize] input[type=hidden]").forEach(i -> form.put(i.attr("name"), i.val()));
        return form;
    }

    private HttpResponse<String> token(String form) {
        String basic = Base64.getEncoder().encodeToString((app.client().clientId() + ":" + app.secret().reveal())
                .getBytes(StandardCharsets.UTF_8));
        return admin.send(HttpRequest.newBuilder(fx.url("/oauth2/token")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> revoke(String tokenToRevoke) {
        String basic = Base64.getEncoder().encodeToString((app.client().clientId() + ":" + app.secret().reveal())
                .getBytes(StandardCharsets.UTF_8));
        return admin.send(HttpRequest.newBuilder(fx.url("/oauth2/revoke")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + enc(tokenToRevoke))));
    }

    private HttpResponse<String> bearer(String path, String token) {
        return new WebClient(fx).get(path, "Authorization", "Bearer " + token);
    }

    private static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
