package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The providers page: the redirect URI to register and warnings before (and after) a client secret expires. */
class ProvidersPageTest {

    @TempDir
    Path dir;

    IntakeFixture fx;

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void secretsExpiringSoonOrExpiredAreFlaggedWithWhatToDo() throws Exception {
        fx = new IntakeFixture(dir).clock(new MutableClock(Instant.parse("2026-11-23T10:00:00Z")))
                .mailbox("support", "entra", "support@contoso.com");
        fx.start();
        WebClient admin = new WebClient(fx).signIn();
        Element entra = providers(admin).selectFirst("[data-provider=entra]");
        assertThat(entra.selectFirst(".expiry").attr("data-expiry")).isEqualTo("muted");
        assertThat(entra.text()).contains("expiry is not recorded").contains(IntakeFixture.ENTRA_CLIENT_ID)
                .contains("support");
        // the type's name and registration facts come from the provider's module
        assertThat(entra.selectFirst("header .sub").text()).isEqualTo("Microsoft Entra");
        assertThat(entra.select("dl.facts dt").eachText()).containsExactly("Client ID", "Tenant", "Mailboxes", "Client secret");
        assertThat(entra.select("dl.facts dd").get(1).text()).isEqualTo("contoso");
        Element google = providers(admin).selectFirst("[data-provider=google]");
        assertThat(google.selectFirst("header .sub").text()).isEqualTo("Google");
        assertThat(google.select("dl.facts dt").eachText()).containsExactly("Client ID", "Mailboxes", "Client secret");

        Files.writeString(fx.configFile(), Files.readString(fx.configFile())
                .replace("    client-secret-next: ${file:entra-secret-next}\n",
                        "    client-secret-next: ${file:entra-secret-next}\n    client-secret-expires: 2026-12-03\n")
                .replace("    client-secret: ${file:google-secret}\n",
                        "    client-secret: ${file:google-secret}\n    client-secret-expires: 2026-11-22\n"));
        assertThat(fx.config().checkNow()).isTrue();

        Document page = providers(admin);
        Element soon = page.selectFirst("[data-provider=entra] .expiry");
        assertThat(soon.attr("data-expiry")).isEqualTo("warn");
        assertThat(soon.text()).contains("in 10 days").contains("2026-12-03").contains("providers.entra.client-secret-next");
        Element expired = page.selectFirst("[data-provider=google] .expiry");
        assertThat(expired.attr("data-expiry")).isEqualTo("bad");
        assertThat(expired.text()).contains("expired on 2026-11-22").contains("providers.google.client-secret");
        assertThat(page.selectFirst("#redirect-uri").val()).isEqualTo("http://127.0.0.1:" + fx.httpPort() + "/oauth/callback");
        assertThat(page.select("button[data-copy=redirect-uri]")).hasSize(1);
        assertThat(page.text()).contains("Registering Intake at Microsoft Entra").contains("Registering Intake at Google");
    }

    private static Document providers(WebClient admin) {
        return Jsoup.parse(admin.get("/providers").body());
    }
}
