package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.IntakeFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mailbox page of an app-only mailbox, and its Test connection button. */
class TestConnectionPageTest {

    private static final String ADDRESS = "billing@contoso.com";

    @TempDir
    Path dir;

    IntakeFixture fx;

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void anAppOnlyMailboxHasNoAuthorizeButtonAndItsTestShowsEachStep() {
        fx = new IntakeFixture(dir).mailbox("billing", "entra", ADDRESS, "auth: app", "paused: true");
        fx.entra().fixedAccessToken("page-token");
        fx.imapUser(ADDRESS, "page-token");
        fx.start();
        WebClient web = new WebClient(fx).signIn();

        Document page = Jsoup.parse(web.get("/mailboxes/billing").body());
        assertThat(page.select("a[data-action=authorize]")).isEmpty();
        assertThat(page.select("[data-access=app-only]").text()).contains("no one authorizes it");
        assertThat(page.select("#app-only-setup li").eachText()).hasSize(3)
                .anySatisfy(step -> assertThat(step).contains("IMAP.AccessAsApp"))
                .anySatisfy(step -> assertThat(step).contains("New-ServicePrincipal -AppId " + IntakeFixture.ENTRA_CLIENT_ID))
                .anySatisfy(step -> assertThat(step).contains("Add-MailboxPermission -Identity " + ADDRESS));
        assertThat(page.select(".title-row .state").text()).isEqualTo("paused");
        assertThat(web.get("/api/mailboxes").body()).contains("\"auth\":\"app\"").contains("\"account\":null");

        assertThat(page.select(".last-token").text()).isEqualTo("none yet");
        HttpResponse<String> tested = web.post("/mailboxes/billing/test", Map.of("_csrf", web.csrf()));

        assertThat(tested.statusCode()).isEqualTo(200);
        Document result = Jsoup.parse(tested.body());
        assertThat(result.select("#connection-test").attr("data-ok")).isEqualTo("true");
        assertThat(result.select("#connection-test li.step").eachAttr("data-outcome")).containsExactly("OK", "OK", "OK", "OK");
        assertThat(result.select("#connection-test").text()).contains("Logged in as " + ADDRESS).doesNotContain("page-token");
        assertThat(result.select(".last-token time")).as("the token the test obtained").hasSize(1);
    }

    @Test
    void aFailedStepIsShownWithWhatToDoAndTheRestAsNotTried() {
        fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com", "paused: true");
        fx.start();
        WebClient web = new WebClient(fx).signIn();

        Document result = Jsoup.parse(web.post("/mailboxes/support/test", Map.of("_csrf", web.csrf())).body());

        assertThat(result.select("#connection-test").attr("data-ok")).isEqualTo("false");
        assertThat(result.select("#connection-test li.step").eachAttr("data-outcome"))
                .containsExactly("FAILED", "NOT_TRIED", "NOT_TRIED", "NOT_TRIED");
        assertThat(result.select("#connection-test li.step").first().text()).contains("not authorized yet");
        assertThat(result.select("a[data-action=authorize]")).isNotEmpty();
        assertThat(result.select("#app-only-setup")).as("a delegated mailbox has no such steps").isEmpty();
    }

    @Test
    void withoutTheCsrfTokenNothingIsTested() {
        fx = new IntakeFixture(dir).mailbox("billing", "entra", ADDRESS, "auth: app", "paused: true");
        fx.start();
        WebClient web = new WebClient(fx).signIn();
        int before = fx.entra().tokenRequests("client_credentials");

        HttpResponse<String> forged = web.post("/mailboxes/billing/test", Map.of());

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(fx.entra().tokenRequests("client_credentials")).isEqualTo(before);
    }

    @Test
    void anAppOnlyMailboxCannotBeAuthorizedSoNoOnesGrantIsEverStoredForIt() {
        fx = new IntakeFixture(dir).mailbox("billing", "entra", ADDRESS, "auth: app", "paused: true");
        fx.start();
        WebClient web = new WebClient(fx).signIn();

        HttpResponse<String> confirm = web.get("/mailboxes/billing/authorize");
        HttpResponse<String> begin = web.post("/mailboxes/billing/authorize", Map.of("_csrf", web.csrf()));

        assertThat(confirm.statusCode()).isEqualTo(409);
        assertThat(begin.statusCode()).isEqualTo(409);
        assertThat(Jsoup.parse(begin.body()).text()).contains("uses app-only access").contains("intake test billing");
        assertThat(fx.entra().authorizationRequests()).isEmpty();
        assertThat(fx.stores().authorizations().find("billing")).isEmpty();
    }
}
