package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.FakeGlpiHl;
import dev.intake.testing.Mails;
import java.time.Clock;
import java.net.URI;
import java.nio.file.Path;
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
 * The Delivery page in headless Chromium, with mail collected from GreenMail and a fake GLPI 11 as the target: GLPI
 * refuses a ticket, the admin finds it among the dead letters with GLPI's reason, GLPI is fixed, the admin clicks
 * Retry, and sees the ticket delivered, once, with its link in GLPI.
 */
class DeliveryPageBrowserTest {

    static Chromium chromium;

    @TempDir
    Path dir;

    static final String ADDRESS = "support@contoso.com";
    static final String TOKEN = "delivery-page-token";

    IntakeFixture fx;
    FakeGlpiHl glpi;
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
        if (glpi != null) {
            glpi.close();
        }
    }

    @Test
    void retryOnADeadLetterDeliversTheTicketOnceGlpiAcceptsIt() {
        glpi = FakeGlpiHl.start(Clock.systemUTC()).oauthClient("intake", "glpi-client-secret");
        glpi.user("intake-bot", "glpi-password");
        glpi.refuseField("category", "Category 12 is not visible in the entity of the ticket");
        fx = new IntakeFixture(dir).mailbox("support", "entra", ADDRESS, "auth: app", "initial-sync: all",
                "poll-every: 1s")
                .yaml("delivery:\n"
                        + "  targets:\n"
                        + "    - name: glpi\n"
                        + "      type: glpi\n"
                        + "      url: " + glpi.url() + "\n"
                        + "      client-id: intake\n"
                        + "      client-secret: ${file:glpi-secret}\n"
                        + "      username: intake-bot\n"
                        + "      password: ${file:glpi-password}\n"
                        + "      category: 12\n");
        fx.writeSecret("glpi-secret", "glpi-client-secret");
        fx.writeSecret("glpi-password", "glpi-password");
        fx.entra().fixedAccessToken(TOKEN);
        fx.append(fx.imapUser(ADDRESS, TOKEN), "INBOX", Mails.plain("Ann <ann@customer.example>", ADDRESS,
                "Printer on fire", "<fire@customer.example>", "Smoke everywhere."), java.time.Instant.now());
        fx.start();

        d = chromium.driver;
        d.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        chromium.resize(Chromium.WIDE);
        d.get(url("/sign-in"));
        d.findElement(By.id("username")).sendKeys(IntakeFixture.ADMIN);
        d.findElement(By.id("password")).sendKeys(IntakeFixture.ADMIN_PASSWORD);
        d.findElement(By.cssSelector(".sign-in button[type=submit]")).click();
        chromium.until(x -> path().equals("/"));

        d.findElement(By.linkText("Delivery")).click();
        chromium.until(x -> path().equals("/deliveries"));
        WebElement row = chromium.reloadUntil(x -> x.findElements(By.cssSelector("#delivery-items tr[data-state=dead]"))
                .stream().findFirst().orElse(null));
        assertThat(row.findElement(By.cssSelector(".reason")).getText())
                .contains("Category 12 is not visible in the entity of the ticket");
        long ticket = Long.parseLong(row.findElement(By.cssSelector("a[href^='/tickets/']")).getText().substring(1));
        WebElement card = d.findElement(By.cssSelector(".target[data-target=glpi]"));
        assertThat(card.findElement(By.cssSelector("[data-status]")).getText()).isEqualTo("failing");
        assertThat(card.findElement(By.cssSelector(".dead")).getText()).isEqualTo("1");
        assertThat(row.findElement(By.cssSelector("button[data-action=skip]")).getAttribute("title"))
                .as("the page says what skipping a ticket takes with it").contains("followups and attachments");
        assertThat(glpi.tickets()).as("nothing created by the refused attempt").isEmpty();

        chromium.resize(Chromium.NARROW);
        d.navigate().refresh();
        assertThat(chromium.overflowsSideways()).as("the Delivery page scrolls sideways on a phone").isFalse();
        chromium.resize(Chromium.WIDE);
        d.navigate().refresh();
        row = d.findElement(By.cssSelector("#delivery-items tr[data-state=dead]"));

        // The GLPI admin makes the category visible; the helpdesk admin retries.
        glpi.acceptField("category");
        row.findElement(By.cssSelector("button[data-action=retry]")).click();
        WebElement notice = chromium.until(x -> x.findElement(By.cssSelector(".notice.ok")));
        assertThat(notice.getText()).contains("queued again");

        d.get(url("/tickets/" + ticket));
        WebElement delivered = chromium.reloadUntil(x -> x.findElements(
                By.cssSelector("#deliveries tr[data-target=glpi] [data-state=delivered]")).stream().findFirst().orElse(null));
        assertThat(delivered.getText()).isEqualTo("delivered");
        assertThat(glpi.tickets()).singleElement().satisfies(t -> assertThat(t.text("name")).isEqualTo("Printer on fire"));
        String remoteId = Long.toString(glpi.tickets().get(0).id());
        WebElement link = d.findElement(By.cssSelector("#deliveries a.remote"));
        assertThat(link.getText()).isEqualTo(remoteId);
        assertThat(link.getAttribute("href")).isEqualTo(glpi.url() + "/front/ticket.form.php?id=" + remoteId);

        d.get(url("/deliveries"));
        assertThat(d.findElement(By.id("no-items")).getText()).isEqualTo("No items.");
    }

    private String url(String p) {
        return fx.url(p).toString();
    }

    private String path() {
        return URI.create(d.getCurrentUrl()).getPath();
    }
}
