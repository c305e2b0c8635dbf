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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document at /api/openapi.json against the routes Javalin really serves: the same operations, and for
 * each the scope it names is the one the gate asks for (a token with only that scope passes, one without it is told
 * that scope is missing).
 */
class OpenApiTest {

    @TempDir
    Path dir;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theDocumentDescribesExactlyTheApiRoutesWithTheScopesTheyNeed() throws Exception {
        try (IntakeFixture fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com")) {
            fx.start();
            HttpResponse<String> served = http.send(HttpRequest.newBuilder(fx.url("/api/openapi.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).as("public, so that a client can be generated").isEqualTo(200);
            JsonNode doc = json.readTree(served.body());
            assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");

            Set<String> documented = new TreeSet<>();
            Map<String, String> scopes = new java.util.TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                    Map.Entry<String, JsonNode> op = ops.next();
                    String key = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                    documented.add(key);
                    JsonNode security = op.getValue().get("security");
                    if (security.size() > 0) {
                        scopes.put(key, security.get(0).get("oauth2").get(0).asText());
                    }
                }
            }
            Set<String> routes = new TreeSet<>(fx.intake().httpRoutes().stream().filter(r -> r.contains(" /api/")).toList());
            assertThat(documented).isEqualTo(routes);

            for (Map.Entry<String, String> op : scopes.entrySet()) {
                Scope needed = Scope.of(op.getValue()).orElseThrow();
                Set<Scope> others = EnumSet.complementOf(EnumSet.of(needed));
                HttpResponse<String> with = call(fx, op.getKey(), token(fx, Set.of(needed)));
                assertThat(with.statusCode()).as("%s with %s: %s", op.getKey(), needed.wireName(), with.body())
                        .isNotIn(401, 403);
                HttpResponse<String> without = call(fx, op.getKey(), token(fx, others));
                assertThat(without.statusCode()).as(op.getKey()).isEqualTo(403);
                assertThat(json.readTree(without.body()).get("scope").asText()).as(op.getKey()).isEqualTo(needed.wireName());
            }
        }
    }

    private String token(IntakeFixture fx, Set<Scope> scopes) throws Exception {
        ApiClients.ClientWithSecret c = fx.intake().apiClients().create(new ClientSpec("OpenAPI check", "",
                EnumSet.of(GrantType.CLIENT_CREDENTIALS), scopes, IpRanges.ANYWHERE, true));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(fx.url("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=" + c.client().clientId()
                        + "&client_secret=" + c.secret().reveal())).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body()).get("access_token").asText();
    }

    private HttpResponse<String> call(IntakeFixture fx, String operation, String token) throws Exception {
        String[] parts = operation.split(" ", 2);
        String path = parts[1].replace("{number}", "999999").replace("{id}", "support");
        HttpRequest.Builder b = HttpRequest.newBuilder(fx.url(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        b = parts[0].equals("GET") ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString("{}"));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
