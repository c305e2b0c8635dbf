package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.IntakeFixture;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new admin and a careful attacker met in the first hour (issue 18): a refused configuration change shown
 * everywhere, real pages for unknown paths, and Jetty's own error pages with the same security headers as the rest.
 */
class FirstHourTest {

    @TempDir
    Path dir;

    IntakeFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aRefusedConfigurationChangeIsShownOnEveryPageInReadinessAndInTheApi() {
        fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com");
        fx.start();
        WebClient admin = new WebClient(fx).signIn();

        fx.writeConfigText(fx.configFileText().replace("support@contoso.com", "not-an-address"));
        assertThat(fx.config().checkNow()).isFalse();

        for (String page : new String[] {"/", "/tickets", "/providers"}) {
            assertThat(admin.get(page).body()).as(page).contains("The last change to collector.yaml was refused")
                    .contains("mailboxes[0].address");
        }
        assertThat(admin.get("/api/config").body()).contains("\"lastChangeRefused\":true").contains("mailboxes[0].address");
        assertThat(fx.intake().readiness().warnings()).anyMatch(w -> w.contains("the last change to the configuration was refused"));

        fx.writeConfigText(fx.configFileText().replace("not-an-address", "support@contoso.com"));
        assertThat(fx.config().checkNow()).isTrue();
        assertThat(admin.get("/").body()).doesNotContain("was refused");
        assertThat(admin.get("/api/config").body()).contains("\"lastChangeRefused\":false");
    }

    @Test
    void unknownPathsGetAPageOrJsonNotABare404() {
        fx = new IntakeFixture(dir);
        fx.start();
        WebClient admin = new WebClient(fx).signIn();

        HttpResponse<String> page = admin.get("/no/such/page");
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("No such page").contains("href=\"/\"");
        HttpResponse<String> api = admin.get("/api/no-such-thing");
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.body()).contains("\"error\"").contains("/api/no-such-thing");
        assertThat(admin.get("/tickets/999").body()).as("a route's own 404 page is kept").contains("999");
    }

    @Test
    void jettysOwnErrorPagesCarryTheSecurityHeaders() throws Exception {
        fx = new IntakeFixture(dir);
        fx.start();

        String response = rawRequest("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: " + "a".repeat(64 * 1024) + "\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 431");
        assertThat(response).containsIgnoringCase("Content-Security-Policy: default-src 'none'")
                .containsIgnoringCase("X-Content-Type-Options: nosniff").containsIgnoringCase("X-Frame-Options: DENY")
                .doesNotContainIgnoringCase("Server: Jetty");
        assertThat(rawRequest("GET /" + "a".repeat(16 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                .startsWith("HTTP/1.1 414").containsIgnoringCase("X-Content-Type-Options: nosniff");
    }

    @Test
    void aTakenPortIsSaidInWords() {
        fx = new IntakeFixture(dir);
        fx.start();
        WebServer second = new WebServer(new dev.intake.config.ServerConfig("127.0.0.1", fx.httpPort(),
                java.net.URI.create("http://127.0.0.1:" + fx.httpPort())), fx.intake().authorization(),
                () -> fx.intake().readiness(), () -> "", java.util.Optional.empty());

        org.assertj.core.api.Assertions.assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot listen on 127.0.0.1:" + fx.httpPort())
                .hasMessageContaining("already in use by another program").hasMessageContaining("server.port");
        second.close();
    }

    @Test
    void httpsDeploymentsTellBrowsersToStayOnHttps() {
        assertThat(SecurityHeaders.all(true)).containsEntry("Strict-Transport-Security", "max-age=31536000");
        assertThat(SecurityHeaders.all(false)).doesNotContainKey("Strict-Transport-Security");
    }

    private String rawRequest(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", fx.httpPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(4096);
            return new String(head, StandardCharsets.ISO_8859_1);
        }
    }
}
