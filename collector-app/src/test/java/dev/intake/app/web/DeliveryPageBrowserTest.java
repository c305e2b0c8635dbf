package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.delivery.RecordingTarget;
import dev.intake.app.support.IntakeFixture;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Delivery page in headless Chromium: the target refused a ticket, the admin finds it among the dead letters
 * with its reason, clicks Retry, and sees the ticket delivered with its link in the helpdesk.
 */
class DeliveryPageBrowserTest {

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
    void retryOnADeadLetterDeliversTheTicket() {
        AtomicReference<RecordingTarget> glpi = new AtomicReference<>();
        fx = DeliveryApiTest.node(dir, glpi);
        long ticket = DeliveryApiTest.collect(fx, "Printer on fire");
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
        assertThat(row.findElement(By.cssSelector(".reason")).getText()).isEqualTo("GLPI refused the ticket: entity 7 "
                + "does not exist; fix delivery.targets.glpi.fields.entity");
        assertThat(row.getText()).contains("#" + ticket);
        WebElement card = d.findElement(By.cssSelector(".target[data-target=glpi]"));
        assertThat(card.findElement(By.cssSelector("[data-status]")).getText()).isEqualTo("failing");
        assertThat(card.findElement(By.cssSelector(".dead")).getText()).isEqualTo("1");
        assertThat(row.findElement(By.cssSelector("button[data-action=skip]")).getAttribute("title"))
                .as("the page says what skipping a ticket takes with it").contains("followups and attachments");

        chromium.resize(Chromium.NARROW);
        d.navigate().refresh();
        assertThat(chromium.overflowsSideways()).as("the Delivery page scrolls sideways on a phone").isFalse();
        chromium.resize(Chromium.WIDE);
        d.navigate().refresh();
        row = d.findElement(By.cssSelector("#delivery-items tr[data-state=dead]"));

        row.findElement(By.cssSelector("button[data-action=retry]")).click();
        WebElement notice = chromium.until(x -> x.findElement(By.cssSelector(".notice.ok")));
        assertThat(notice.getText()).contains("queued again");

        d.get(url("/tickets/" + ticket));
        WebElement delivered = chromium.reloadUntil(x -> x.findElements(
                By.cssSelector("#deliveries tr[data-target=glpi] [data-state=delivered]")).stream().findFirst().orElse(null));
        assertThat(delivered.getText()).isEqualTo("delivered");
        String remoteId = glpi.get().created.values().iterator().next();
        WebElement link = d.findElement(By.cssSelector("#deliveries a.remote"));
        assertThat(link.getText()).isEqualTo(remoteId);
        assertThat(link.getAttribute("href")).isEqualTo("https://helpdesk.example/glpi/" + remoteId);

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
