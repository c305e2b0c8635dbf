package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.IntakeFixture;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Clients page in headless Chromium: an admin creates a client, copies its secret from the page that shows it
 * once, rotates it (the old secret stops working) and deactivates the client (its token stops working at once).
 */
class ClientsPageBrowserTest {

    static Chromium chromium;

    @TempDir
    Path dir;

    IntakeFixture fx;
    ChromeDriver d;

    @BeforeAll
    static void startBrowser() {
        chromium = new Chromium();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @AfterEach
    void stopIntake() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void createCopyOnceRotateAndDeactivate() throws Exception {
        fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com");
        fx.start();
        d = chromium.driver;
        d.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        d.executeCdpCommand("Browser.grantPermissions", Map.of("origin", fx.url("").toString().replaceAll("/$", ""),
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        chromium.resize(Chromium.WIDE);
        d.get(url("/sign-in"));
        d.findElement(By.id("username")).sendKeys(IntakeFixture.ADMIN);
        d.findElement(By.id("password")).sendKeys(IntakeFixture.ADMIN_PASSWORD);
        d.findElement(By.cssSelector(".sign-in button[type=submit]")).click();
        chromium.until(x -> path().equals("/"));

        d.findElement(By.linkText("API clients")).click();
        chromium.until(x -> path().equals("/clients"));
        assertThat(d.findElement(By.id("no-clients")).getText()).contains("No API client");
        d.findElement(By.name("name")).sendKeys("GLPI helpdesk");
        d.findElement(By.cssSelector("input[name=scope][value='tickets:read']")).click();
        d.findElement(By.cssSelector("input[name=scope][value='status']")).click();
        d.findElement(By.name("allowedIps")).sendKeys("127.0.0.0/8");
        d.findElement(By.cssSelector("#new-client button[type=submit]")).click();

        WebElement secretField = chromium.until(x -> x.findElement(By.id("client-secret")));
        String secret = secretField.getAttribute("value");
        String clientId = d.findElement(By.id("client-id")).getAttribute("value");
        assertThat(secret).startsWith("intake_cs_");
        assertThat(d.findElement(By.tagName("main")).getText()).contains("shown this once");
        d.findElement(By.id("copy-secret")).click();
        chromium.until(x -> x.findElement(By.id("copy-secret")).getText().equals("Copied"));
        Object copied = d.executeAsyncScript("var done = arguments[0]; navigator.clipboard.readText().then(done, "
                + "function (e) { done('clipboard unreadable: ' + e); });");
        assertThat(copied).isEqualTo(secret);
        assertThat(tokenStatus(clientId, secret)).isEqualTo(200);

        // Done: the client's page, where the secret is no more.
        d.findElement(By.linkText("Done")).click();
        chromium.until(x -> path().equals("/clients/" + clientId));
        assertThat(d.getPageSource()).doesNotContain(secret);
        assertThat(d.findElement(By.id("client-state")).getText()).isEqualTo("active");
        assertThat(d.findElement(By.id("last-use")).getText()).contains("from 127.0.0.1");
        d.navigate().back();
        assertThat(d.getPageSource()).as("back does not bring the secret again from a cache").doesNotContain(secret);
        d.get(url("/clients/" + clientId));

        d.findElement(By.id("rotate")).click();
        WebElement rotated = chromium.until(x -> x.findElement(By.id("client-secret")));
        String newSecret = rotated.getAttribute("value");
        assertThat(newSecret).isNotEqualTo(secret).startsWith("intake_cs_");
        assertThat(tokenStatus(clientId, secret)).as("the old secret stops working").isEqualTo(401);
        String token = token(clientId, newSecret);

        d.get(url("/clients/" + clientId));
        d.findElement(By.id("deactivate")).click();
        chromium.until(x -> x.findElement(By.id("client-state")).getText().equals("deactivated"));
        assertThat(d.findElement(By.cssSelector(".notice.ok")).getText()).contains("no longer work");
        assertThat(apiStatus(token)).isEqualTo(401);

        d.get(url("/clients"));
        WebElement row = d.findElement(By.cssSelector("tr[data-client='" + clientId + "']"));
        assertThat(row.findElement(By.cssSelector(".state")).getText()).isEqualTo("deactivated");
        assertThat(d.getPageSource()).doesNotContain(newSecret);
        for (int width : List.of(Chromium.WIDE, Chromium.NARROW)) {
            chromium.resize(width);
            assertThat(chromium.overflowsSideways()).as("clients page at %d px", width).isFalse();
            chromium.screenshot("clients", width);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> tokenResponse(String clientId, String secret) throws Exception {
        return http.send(HttpRequest.newBuilder(fx.url("/oauth2/token")).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"
                + "&client_id=" + clientId + "&client_secret=" + URLEncoder.encode(secret, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int tokenStatus(String clientId, String secret) throws Exception {
        return tokenResponse(clientId, secret).statusCode();
    }

    private String token(String clientId, String secret) throws Exception {
        String body = tokenResponse(clientId, secret).body();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("access_token").asText();
    }

    private int apiStatus(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(fx.url("/api/tickets")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String url(String path) {
        return fx.url(path).toString();
    }

    private String path() {
        return java.net.URI.create(d.getCurrentUrl()).getPath();
    }
}
