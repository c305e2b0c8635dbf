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
import dev.intake.testing.CapturedLogs;
import dev.intake.testing.MutableClock;
import dev.intake.testing.PostgresDatabase;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * API clients over HTTP against a running Intake: the client credentials grant at /oauth2/token, bearer tokens on
 * /api/* with their scopes, introspection and revocation, deactivation and deletion ending tokens at once (also on a
 * second node of the same PostgreSQL database), IP ranges behind trusted proxies, expiry and throttling.
 */
class ApiClientsTest {

    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    IntakeFixture fx;
    IntakeFixture second;
    PostgresDatabase postgres;

    @AfterEach
    void stop() {
        if (second != null) {
            second.close();
        }
        if (fx != null) {
            fx.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private IntakeFixture start(String database) {
        fx = new IntakeFixture(node("node1")).mailbox("support", "entra", "support@contoso.com");
        if (database.equals("postgresql")) {
            postgres = PostgresDatabase.create();
            fx.database(postgres.url()).yaml(sharedKey());
        }
        fx.start();
        return fx;
    }

    private ApiClients.ClientWithSecret client(Scope... scopes) {
        return client(IpRanges.ANYWHERE, scopes);
    }

    private ApiClients.ClientWithSecret client(IpRanges ips, Scope... scopes) {
        return fx.intake().apiClients().create(new ClientSpec("Helpdesk", "test", EnumSet.of(GrantType.CLIENT_CREDENTIALS),
                Set.of(scopes), ips, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void clientCredentialsGiveATokenThatReadsTheApiWithinItsScopes(String database) throws Exception {
        start(database);
        ApiClients.ClientWithSecret c = client(Scope.TICKETS_READ, Scope.STATUS);

        HttpResponse<String> issued = token(fx, basic(c), "grant_type=client_credentials");
        assertThat(issued.statusCode()).isEqualTo(200);
        assertThat(issued.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        JsonNode body = json.readTree(issued.body());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(body.get("scope").asText().split(" ")).containsExactlyInAnyOrder("tickets:read", "status");
        String token = body.get("access_token").asText();

        HttpResponse<String> tickets = get(fx, "/api/tickets", token);
        assertThat(tickets.statusCode()).isEqualTo(200);
        assertThat(json.readTree(tickets.body()).get("total").asLong()).isZero();
        assertThat(get(fx, "/api/config", token).statusCode()).isEqualTo(200);

        HttpResponse<String> mailboxes = get(fx, "/api/mailboxes", token);
        assertThat(mailboxes.statusCode()).isEqualTo(403);
        assertThat(json.readTree(mailboxes.body()).get("error").asText()).isEqualTo("insufficient_scope");
        assertThat(json.readTree(mailboxes.body()).get("scope").asText()).isEqualTo("mailboxes:read");
        assertThat(mailboxes.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("scope=\"mailboxes:read\"");
        HttpResponse<String> pause = post(fx, "/api/mailboxes/support/pause", token, "");
        assertThat(pause.statusCode()).isEqualTo(403);
        assertThat(pause.body()).contains("mailboxes:write");

        // The client's secret in the form instead of Basic, and a narrower scope than the client has.
        HttpResponse<String> viaForm = token(fx, null, "grant_type=client_credentials&scope=status&client_id="
                + c.client().clientId() + "&client_secret=" + enc(c.secret().reveal()));
        assertThat(viaForm.statusCode()).isEqualTo(200);
        String statusOnly = json.readTree(viaForm.body()).get("access_token").asText();
        assertThat(get(fx, "/api/tickets", statusOnly).statusCode()).isEqualTo(403);
        assertThat(get(fx, "/api/config", statusOnly).statusCode()).isEqualTo(200);

        HttpResponse<String> tooMuch = token(fx, basic(c), "grant_type=client_credentials&scope=tickets:write");
        assertThat(tooMuch.statusCode()).isEqualTo(400);
        assertThat(json.readTree(tooMuch.body()).get("error").asText()).isEqualTo("invalid_scope");

        JsonNode active = json.readTree(send(fx, "/oauth2/introspect", basic(c), "token=" + token).body());
        assertThat(active.get("active").asBoolean()).isTrue();
        assertThat(active.get("client_id").asText()).isEqualTo(c.client().clientId());
        assertThat(active.get("scope").asText()).contains("tickets:read");

        assertThat(send(fx, "/oauth2/revoke", basic(c), "token=" + token).statusCode()).isEqualTo(200);
        assertThat(json.readTree(send(fx, "/oauth2/introspect", basic(c), "token=" + token).body()).get("active")
                .asBoolean()).isFalse();
        HttpResponse<String> revoked = get(fx, "/api/tickets", token);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(json.readTree(revoked.body()).get("error").asText()).isEqualTo("invalid_token");

        assertThat(fx.intake().apiClients().find(c.client().clientId()).orElseThrow().lastUsedIp()).contains("127.0.0.1");
    }

    @Test
    void aWrongSecretIsRefusedAsRfc6749SaysAndRepeatedFailuresAreThrottled() throws Exception {
        start("h2");
        ApiClients.ClientWithSecret c = client(Scope.TICKETS_READ);
        String wrong = "Basic " + Base64.getEncoder().encodeToString((c.client().clientId() + ":not-the-secret")
                .getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> refused = token(fx, wrong, "grant_type=client_credentials");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic");
        assertThat(json.readTree(refused.body()).get("error").asText()).isEqualTo("invalid_client");

        HttpResponse<String> noAuth = token(fx, null, "grant_type=client_credentials");
        assertThat(noAuth.statusCode()).isEqualTo(401);
        assertThat(json.readTree(noAuth.body()).get("error").asText()).isEqualTo("invalid_client");

        HttpResponse<String> password = token(fx, basic(c), "grant_type=password&username=a&password=b");
        assertThat(password.statusCode()).isEqualTo(400);
        assertThat(json.readTree(password.body()).get("error").asText()).isEqualTo("unsupported_grant_type");
        assertThat(json.readTree(password.body()).get("error_description").asText()).contains("no password grant");

        for (int i = 0; i < 4; i++) {
            assertThat(token(fx, wrong, "grant_type=client_credentials").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> throttled = token(fx, basic(c), "grant_type=client_credentials");
        assertThat(throttled.statusCode()).as("even the right secret waits once the client is blocked").isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void deactivatingOrDeletingAClientEndsItsTokensAtOnceOnEveryNode() throws Exception {
        start("postgresql");
        second = new IntakeFixture(node("node2")).mailbox("support", "entra", "support@contoso.com")
                .database(postgres.url()).yaml(sharedKey());
        second.start();
        ApiClients.ClientWithSecret c = client(Scope.TICKETS_READ);
        String token = accessToken(fx, c);
        assertThat(get(second, "/api/tickets", token).statusCode()).as("a token of node 1 works on node 2").isEqualTo(200);

        assertThat(fx.intake().apiClients().setActive(c.client().clientId(), false)).isTrue();
        assertThat(get(second, "/api/tickets", token).statusCode()).isEqualTo(401);
        assertThat(get(fx, "/api/tickets", token).statusCode()).isEqualTo(401);
        assertThat(token(second, basic(c), "grant_type=client_credentials").statusCode()).isEqualTo(401);

        fx.intake().apiClients().setActive(c.client().clientId(), true);
        assertThat(get(second, "/api/tickets", token).statusCode()).as("activating does not bring old tokens back")
                .isEqualTo(401);
        String fresh = accessToken(second, c);
        assertThat(get(fx, "/api/tickets", fresh).statusCode()).isEqualTo(200);
        assertThat(fx.intake().apiClients().delete(c.client().clientId())).isTrue();
        assertThat(get(second, "/api/tickets", fresh).statusCode()).isEqualTo(401);
        assertThat(token(second, basic(c), "grant_type=client_credentials").statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenStopsWorkingWhenItExpires() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        fx = new IntakeFixture(node("node1")).clock(clock).yaml("api:\n  token-lifetime: 10m\n");
        fx.start();
        ApiClients.ClientWithSecret c = client(Scope.TICKETS_READ);
        HttpResponse<String> issued = token(fx, basic(c), "grant_type=client_credentials");
        assertThat(json.readTree(issued.body()).get("expires_in").asLong()).isEqualTo(600);
        String token = json.readTree(issued.body()).get("access_token").asText();
        clock.advance(Duration.ofMinutes(9));
        assertThat(get(fx, "/api/tickets", token).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(2));
        HttpResponse<String> expired = get(fx, "/api/tickets", token);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(json.readTree(expired.body()).get("error_description").asText()).contains("expired");
    }

    @Test
    void callsFromOutsideTheClientsRangesAreRefusedAndForwardedForCountsOnlyFromTrustedProxies() throws Exception {
        fx = new IntakeFixture(node("node1")).yaml("api:\n  trusted-proxies: [127.0.0.1]\n");
        fx.start();
        ApiClients.ClientWithSecret elsewhere = client(IpRanges.parse("10.0.0.0/8"), Scope.TICKETS_READ);
        try (CapturedLogs logs = CapturedLogs.capture()) {
            HttpResponse<String> refused = token(fx, basic(elsewhere), "grant_type=client_credentials");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(json.readTree(refused.body()).get("error").asText()).isEqualTo("access_denied");
            assertThat(logs.text()).contains("127.0.0.1 is outside its allowed ranges 10.0.0.0/8");
        }
        // Behind the trusted proxy, the address it forwards is the client's.
        HttpResponse<String> forwarded = send(fx, "/oauth2/token", basic(elsewhere), "grant_type=client_credentials",
                "X-Forwarded-For", "10.1.2.3");
        assertThat(forwarded.statusCode()).isEqualTo(200);
        String token = json.readTree(forwarded.body()).get("access_token").asText();
        assertThat(get(fx, "/api/tickets", token, "X-Forwarded-For", "10.1.2.3").statusCode()).isEqualTo(200);
        HttpResponse<String> outside = get(fx, "/api/tickets", token, "X-Forwarded-For", "203.0.113.9");
        assertThat(outside.statusCode()).isEqualTo(403);
        assertThat(json.readTree(outside.body()).get("error").asText()).isEqualTo("access_denied");
        // A client cannot pretend to be its own proxy: the entry the trusted proxy added is what counts.
        assertThat(get(fx, "/api/tickets", token, "X-Forwarded-For", "10.1.2.3, 203.0.113.9").statusCode()).isEqualTo(403);
    }

    @Test
    void aUrlJavaCannotReadIsAnOAuthErrorNotAServerError() throws Exception {
        start("h2");
        ApiClients.ClientWithSecret c = client(Scope.TICKETS_READ);
        for (String path : new String[] {"/oauth2/token?scope=a|b", "/oauth2/revoke?x=%zz", "/oauth2/introspect?q={}"}) {
            // java.net.http cannot send such a URL: written by hand, as a careless client would.
            String form = "grant_type=client_credentials&token=t";
            try (java.net.Socket socket = new java.net.Socket(fx.url("/").getHost(), fx.url("/").getPort())) {
                socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                        + basic(c) + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                        + form.length() + "\r\nConnection: close\r\n\r\n" + form).getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(answer).as(path).startsWith("HTTP/1.1 400").contains("application/json")
                        .contains("\"error\":\"invalid_request\"");
            }
        }
    }

    @Test
    void forwardedForIsIgnoredWithoutTrustedProxies() throws Exception {
        start("h2");
        ApiClients.ClientWithSecret c = client(IpRanges.parse("10.0.0.0/8"), Scope.TICKETS_READ);
        assertThat(send(fx, "/oauth2/token", basic(c), "grant_type=client_credentials", "X-Forwarded-For", "10.1.2.3")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void theSecretIsShownOnceOnCreationAndNeverAgainByAnyPageApiOrLog() throws Exception {
        start("h2");
        WebClient admin = new WebClient(fx).signIn();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            HttpResponse<String> created = admin.post("/clients", java.util.Map.of("_csrf", admin.csrf(), "name",
                    "Monitoring", "scope", "status", "allowedIps", ""));
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
            org.jsoup.nodes.Document shown = org.jsoup.Jsoup.parse(created.body());
            String secret = shown.selectFirst("#client-secret").val();
            String id = shown.selectFirst("#client-id").val();
            assertThat(secret).startsWith("intake_cs_");

            String token = json.readTree(token(fx, "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret)
                    .getBytes(StandardCharsets.UTF_8)), "grant_type=client_credentials").body()).get("access_token").asText();
            assertThat(get(fx, "/api/config", token).statusCode()).isEqualTo(200);

            for (String page : new String[] {"/clients", "/clients/" + id, "/api/config", "/api/mailboxes", "/"}) {
                HttpResponse<String> r = admin.get(page);
                assertThat(r.statusCode()).as(page).isEqualTo(200);
                assertThat(r.body()).as(page).doesNotContain(secret).doesNotContain(token);
            }
            assertThat(admin.get("/clients/" + id).body()).contains("Monitoring").contains("from 127.0.0.1");
            assertThat(logs.text()).doesNotContain(secret).doesNotContain(token).contains("Monitoring");
        }
    }

    @Test
    void aClientDeclaredInCollectorYamlWorksWithoutClicksAndFollowsTheFile() throws Exception {
        String secret = "declared-secret-with-more-than-32-characters-0001";
        fx = new IntakeFixture(node("node1")).yaml("api:\n  clients:\n    - client-id: nagios-monitor\n"
                + "      name: Nagios\n      secret: ${file:nagios-secret}\n      scopes: [status]\n");
        fx.writeSecret("nagios-secret", secret);
        fx.start();
        String basic = "Basic " + Base64.getEncoder().encodeToString(("nagios-monitor:" + secret)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> issued = token(fx, basic, "grant_type=client_credentials");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String token = json.readTree(issued.body()).get("access_token").asText();
        assertThat(get(fx, "/api/config", token).statusCode()).isEqualTo(200);
        assertThat(fx.intake().apiClients().find("nagios-monitor").orElseThrow().fromConfig()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fx.intake().apiClients().rotateSecret("nagios-monitor"))
                .hasMessageContaining("collector.yaml");

        // The operator puts a new secret in the file: the old one and its tokens stop working at the reload.
        String newSecret = "declared-secret-with-more-than-32-characters-0002";
        fx.writeSecret("nagios-secret", newSecret);
        String newBasic = "Basic " + Base64.getEncoder().encodeToString(("nagios-monitor:" + newSecret)
                .getBytes(StandardCharsets.UTF_8));
        // Waiting on the old token, not on token requests: failed ones would be throttled.
        long reloaded = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (get(fx, "/api/config", token).statusCode() == 200 && System.nanoTime() < reloaded) {
            Thread.sleep(200);
        }
        assertThat(get(fx, "/api/config", token).statusCode()).isEqualTo(401);
        assertThat(token(fx, basic, "grant_type=client_credentials").statusCode()).isEqualTo(401);
        token = json.readTree(token(fx, newBasic, "grant_type=client_credentials").body()).get("access_token").asText();
        basic = newBasic;

        // The operator deactivates it in the file: the running node follows at the reload.
        fx.writeConfigText(fx.configFileText().replace("      scopes: [status]\n", "      scopes: [status]\n"
                + "      active: false\n"));
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (get(fx, "/api/config", token).statusCode() == 200 && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertThat(get(fx, "/api/config", token).statusCode()).isEqualTo(401);
        assertThat(token(fx, basic, "grant_type=client_credentials").statusCode()).isEqualTo(401);
    }

    @Test
    void theServerDescribesItselfAtTheWellKnownAddress() throws Exception {
        start("h2");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(fx.url("/.well-known/oauth-authorization-server")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode m = json.readTree(r.body());
        assertThat(m.get("issuer").asText()).isEqualTo(fx.url("").toString());
        assertThat(m.get("token_endpoint").asText()).isEqualTo(fx.url("/oauth2/token").toString());
        assertThat(m.get("grant_types_supported").toString()).contains("client_credentials").doesNotContain("password");
        assertThat(m.get("scopes_supported").toString()).contains("tickets:write");
    }

    private Path node(String name) {
        try {
            return java.nio.file.Files.createDirectories(dir.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Nodes of one PostgreSQL database share their encryption key. */
    private String sharedKey() {
        return "encryption:\n  key-file: " + dir.resolve("intake.key") + "\n";
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    String accessToken(IntakeFixture node, ApiClients.ClientWithSecret c) throws Exception {
        HttpResponse<String> r = token(node, basic(c), "grant_type=client_credentials");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body()).get("access_token").asText();
    }

    static String basic(ApiClients.ClientWithSecret c) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(c.client().clientId()) + ":" + enc(c.secret().reveal()))
                .getBytes(StandardCharsets.UTF_8));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    HttpResponse<String> token(IntakeFixture node, String authorization, String form) throws Exception {
        return send(node, "/oauth2/token", authorization, form);
    }

    HttpResponse<String> send(IntakeFixture node, String path, String authorization, String form, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.url(path)).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(IntakeFixture node, String path, String token, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(node.url(path)).header("Authorization", "Bearer " + token).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(IntakeFixture node, String path, String token, String jsonBody) throws Exception {
        return http.send(HttpRequest.newBuilder(node.url(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
