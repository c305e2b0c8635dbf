package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.app.support.IntakeFixture;
import dev.intake.provider.ReauthorizationRequiredException;
import dev.intake.testing.FakeAuthorizationServer;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mailbox's page tells the admin what the provider said, in sentences, and what to do about it. */
class MailboxPageTest {

    @TempDir
    Path dir;

    IntakeFixture fx;

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void anEntraErrorIsShownAsTheProvidersExplanationWithTheWayOut() {
        fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com", "delegate: alice@contoso.com",
                "paused: true");
        fx.start();
        assertThat(fx.authorize("support", "alice@contoso.com").status()).isEqualTo(200);
        fx.intake().tokens().invalidate("support");
        fx.entra().failTokenRequests(1, FakeAuthorizationServer.Failure.INVALID_GRANT);
        assertThatThrownBy(() -> fx.intake().tokens().accessToken("support"))
                .isInstanceOf(ReauthorizationRequiredException.class);

        Document page = Jsoup.parse(new WebClient(fx).signIn().get("/mailboxes/support").body());

        assertThat(page.select(".title-row .state").text()).isEqualTo("needs re-authorization");
        String problem = page.select(".problem").text();
        assertThat(problem).contains("AADSTS700082").contains("Re-authorize").contains("alice@contoso.com")
                .doesNotContain("Trace ID");
        assertThat(page.select(".last-error").text()).contains("AADSTS700082");
        assertThat(page.select("button[data-action=poll]").hasAttr("disabled")).isTrue();
        assertThat(page.select("a[href=/mailboxes/support/authorize]").text()).isEqualTo("Re-authorize");
    }
}
