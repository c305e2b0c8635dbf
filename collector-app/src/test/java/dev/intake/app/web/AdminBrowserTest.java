package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.Mails;
import dev.intake.app.ticket.TicketQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The admin's day in a real browser: headless Chromium against a complete Intake (fake Entra and Google, GreenMail
 * over IMAPS, H2). Each test starts its own Intake; Chromium starts once for the class. Screenshots of every page at
 * 1280 and 390 px go to {@code target/screenshots/}, and no page may need sideways scrolling at either width.
 */
class AdminBrowserTest {

    static final String SUPPORT = "support@contoso.com";
    static final String SALES = "sales@example.com";
    static final String TOKEN = "imap-access-token-browser";

    static Chromium chromium;
    static FakeWebSite site;

    @TempDir
    Path dir;

    IntakeFixture fx;
    ChromeDriver d;

    @BeforeAll
    static void startBrowser() {
        chromium = new Chromium();
        site = new FakeWebSite();
    }

    @AfterAll
    static void stopBrowser() {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (site != null) {
                site.close();
            }
        }
    }

    @BeforeEach
    void freshBrowserState() {
        d = chromium.driver;
        d.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        chromium.resize(Chromium.WIDE);
    }

    @AfterEach
    void stopIntake() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneLeadsBackToTheAskedPage() {
        fx = new IntakeFixture(dir).mailbox("support", "entra", SUPPORT);
        fx.start();

        d.get(url("/tickets?q=printer"));
        chromium.until(x -> path().equals("/sign-in"));
        assertThat(d.getCurrentUrl()).contains("next=%2Ftickets%3Fq%3Dprinter");
        capture("sign-in");

        signInWith(IntakeFixture.ADMIN, "not-the-password-at-all");
        WebElement error = chromium.until(x -> x.findElement(By.id("sign-in-error")));
        assertThat(error.getText()).isEqualTo("Wrong user name or password.");
        assertThat(path()).isEqualTo("/sign-in");
        assertThat(d.manage().getCookieNamed("intake_session")).isNull();
        assertThat(d.findElement(By.id("username")).getAttribute("value")).isEqualTo(IntakeFixture.ADMIN);
        assertThat(d.findElement(By.id("password")).getAttribute("value")).isEmpty();

        signInWith(IntakeFixture.ADMIN, IntakeFixture.ADMIN_PASSWORD);
        chromium.until(x -> path().equals("/tickets"));
        assertThat(d.getCurrentUrl()).endsWith("/tickets?q=printer");
        assertThat(d.findElement(By.cssSelector("input[name=q]")).getAttribute("value")).isEqualTo("printer");
        assertThat(d.findElement(By.cssSelector(".who")).getText()).isEqualTo(IntakeFixture.ADMIN);

        Cookie session = d.manage().getCookieNamed("intake_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Lax");
        assertThat(session.isSecure()).as("public-url is http here").isFalse();
        assertThat((String) d.executeScript("return document.cookie;")).doesNotContain("intake_session");

        d.findElement(By.cssSelector("form.sign-out button")).click();
        chromium.until(x -> path().equals("/sign-in"));
        d.get(url("/"));
        chromium.until(x -> path().equals("/sign-in"));
    }

    @Test
    void authorizeThroughEntraThenPollNowMakesTheTicketWithItsAttachment() throws Exception {
        fx = new IntakeFixture(dir).mailbox("support", "entra", SUPPORT, "delegate: alice@contoso.com",
                "accepted-folder: Intake/Accepted", "refused-folder: Intake/Refused", "poll-every: 1h", "initial-sync: all");
        fx.entra().fixedAccessToken(TOKEN).signInAs("alice@contoso.com");
        GreenMailUser user = fx.imapUser(SUPPORT, TOKEN);
        fx.start();
        signIn();

        WebElement card = mailboxCard("support");
        assertThat(card.findElement(By.cssSelector(".state")).getText()).isEqualTo("not authorized");
        card.findElement(By.cssSelector("a[data-action=authorize]")).click();
        // The confirm page says whom to sign in as; then Intake → fake Entra (auto-approves) → its form_post page
        // submits to Intake's callback.
        assertThat(d.findElement(By.tagName("main")).getText()).contains("Sign in as alice@contoso.com");
        d.findElement(By.cssSelector("button[data-action=continue-sign-in]")).click();
        chromium.until(x -> x.findElement(By.tagName("h1")).getText().equals("Mailbox authorized"));
        assertThat(d.findElement(By.cssSelector(".explanation")).getText()).contains("alice@contoso.com");
        d.findElement(By.linkText("Open the mailbox")).click();
        chromium.until(x -> path().equals("/mailboxes/support"));
        assertThat(state()).isEqualTo("active");
        assertThat(d.findElement(By.cssSelector("dl.facts")).getText()).contains("alice@contoso.com");

        // The first run starts when the mailbox is scheduled; once it is done, only Poll now collects.
        chromium.reloadUntil(x -> !x.findElements(By.cssSelector("tr.run.ok")).isEmpty());
        byte[] pdf = "%PDF-1.4 the invoice".getBytes(StandardCharsets.US_ASCII);
        fx.append(user, "INBOX", Mails.withAttachment("Carol <carol@customer.example>", SUPPORT, "Invoice 4711",
                "<inv@customer.example>", "Please see the invoice.", "invoice 4711.pdf", pdf), Instant.now());
        fx.append(user, "INBOX", Mails.plain("dave@customer.example", SUPPORT, "Out of office: Invoice 4711",
                "<ooo@customer.example>", "I am away until Monday.", "Auto-Submitted: auto-replied"), Instant.now());
        assertThat(fx.intake().tickets().count(TicketQuery.firstPage(10))).isZero();

        d.findElement(By.cssSelector("button[data-action=poll]")).click();
        chromium.until(x -> x.findElement(By.cssSelector(".notice.ok")).getText().startsWith("Poll requested"));
        chromium.reloadUntil(x -> x.findElement(By.cssSelector("a[href='/tickets?mailbox=support']")).getText().equals("1"));
        WebElement refusal = chromium.reloadUntil(x -> x.findElements(By.cssSelector("li.refusal")).stream().findFirst().orElse(null));
        assertThat(refusal.getText()).contains("Out of office: Invoice 4711").contains("Automatic reply")
                .contains("dave@customer.example");
        capture("mailbox");

        d.findElement(By.linkText("Tickets")).click();
        WebElement row = chromium.until(x -> x.findElement(By.cssSelector("table.tickets tbody tr")));
        assertThat(row.getText()).contains("Invoice 4711").contains("Carol <carol@customer.example>").contains("support");
        capture("tickets");
        row.findElement(By.linkText("Invoice 4711")).click();
        chromium.until(x -> path().startsWith("/tickets/"));
        assertThat(d.findElement(By.cssSelector("h1")).getText()).contains("Invoice 4711");
        assertThat(d.findElement(By.cssSelector(".requester")).getText()).isEqualTo("Carol <carol@customer.example>");
        assertThat(d.findElement(By.cssSelector("pre.mail-text")).getText()).contains("Please see the invoice.");
        WebElement attachment = d.findElement(By.cssSelector("ul.attachments a"));
        assertThat(attachment.getText()).isEqualTo("invoice 4711.pdf");
        capture("ticket");

        attachment.click();
        List<String> downloaded = chromium.until(x -> chromium.downloaded().isEmpty() ? null : chromium.downloaded());
        assertThat(downloaded).containsExactly("invoice 4711.pdf");
        assertThat(Files.readAllBytes(chromium.download("invoice 4711.pdf"))).isEqualTo(pdf);

        // The auto-reply was refused, but the admin decides it is a real request.
        d.get(url("/mailboxes/support"));
        d.findElement(By.cssSelector("li.refusal button[data-action=import]")).click();
        chromium.until(x -> path().startsWith("/tickets/"));
        assertThat(d.findElement(By.cssSelector(".notice.ok")).getText()).contains("Imported");
        assertThat(d.findElement(By.cssSelector("h1")).getText()).contains("Out of office: Invoice 4711");
        assertThat(fx.intake().tickets().count(TicketQuery.firstPage(10))).isEqualTo(2);
        d.get(url("/mailboxes/support"));
        assertThat(d.findElements(By.cssSelector("li.refusal"))).isEmpty();

        d.get(url("/"));
        capture("mailboxes");
        d.findElement(By.linkText("Providers")).click();
        assertThat(d.findElement(By.id("redirect-uri")).getAttribute("value"))
                .isEqualTo(fx.intake().currentConfig().server().redirectUri().toString());
        assertThat(d.findElement(By.cssSelector("[data-provider=entra] .expiry")).getAttribute("data-expiry")).isEqualTo("muted");
        capture("providers");
    }

    @Test
    void mailCarryingScriptAndEventHandlersIsShownInertAndRemoteImagesWaitForTheAdmin() throws Exception {
        fx = new IntakeFixture(dir).mailbox("support", "entra", SUPPORT, "paused: true", "initial-sync: all");
        fx.entra().fixedAccessToken(TOKEN);
        GreenMailUser user = fx.imapUser(SUPPORT, TOKEN);
        fx.start();
        assertThat(fx.authorize("support", SUPPORT).status()).isEqualTo(200);
        String subject = "<img src=x onerror=alert('subject')> Printer on fire";
        fx.append(user, "INBOX", Mails.html("Mallory <mallory@attacker.example>", SUPPORT, subject, "<xss@attacker.example>",
                "<p id=\"hello\">Hello from the printer room</p>"
                        + "<script>document.title='pwned';alert('script')</script>"
                        + "<img src=\"x\" onerror=\"alert('onerror');document.title='pwned'\">"
                        + "<img src=\"" + site.pixelUrl() + "\" alt=\"tracker\">"
                        + "<a href=\"javascript:alert('link')\">click me</a>"
                        + "<svg onload=\"alert('svg')\"></svg><iframe src=\"javascript:alert('frame')\"></iframe>"
                        + "<form action=\"https://attacker.example/\"><input name=\"password\"></form>"),
                Instant.now());
        fx.intake().collection().poll(fx.intake().currentConfig().mailbox("support").orElseThrow(), () -> false);
        long number = fx.intake().tickets().list(TicketQuery.firstPage(1)).get(0).number();

        signIn();
        d.get(url("/tickets"));
        // The subject is text, not markup, in the list and on the ticket's page.
        assertThat(d.findElement(By.cssSelector("td.subject")).getText()).isEqualTo(subject);
        d.get(url("/tickets/" + number));
        WebElement frame = chromium.until(x -> x.findElement(By.cssSelector("iframe.mail-body")));
        assertThat(frame.getAttribute("sandbox")).isEqualTo("allow-popups allow-popups-to-escape-sandbox");
        assertThat(d.findElement(By.tagName("h1")).getText()).contains(subject);
        assertThat(d.findElements(By.cssSelector("h1 img"))).isEmpty();

        d.switchTo().frame(frame);
        chromium.until(x -> x.findElement(By.tagName("body")).getText().contains("Hello from the printer room"));
        assertThat(d.findElements(By.cssSelector("script, iframe, svg, form, input"))).isEmpty();
        for (WebElement img : d.findElements(By.tagName("img"))) {
            assertThat(img.getAttribute("onerror")).isNull();
        }
        assertThat(java.util.Objects.toString(d.findElement(By.linkText("click me")).getAttribute("href"), ""))
                .doesNotStartWith("javascript:");
        d.switchTo().defaultContent();
        assertNoAlert();
        assertThat(d.getTitle()).doesNotContain("pwned").startsWith("#" + number);
        assertThat(site.pixelLoads()).as("the tracking pixel was not loaded").isZero();
        capture("ticket-html");

        d.findElement(By.cssSelector("[data-action=remote-images]")).click();
        chromium.until(x -> site.pixelLoads() > 0);
        assertNoAlert();

        d.findElement(By.cssSelector("[data-action=view-text]")).click();
        WebElement text = chromium.until(x -> x.findElement(By.cssSelector("pre.mail-text")));
        assertThat(text.getText()).contains("Hello from the printer room");
        assertThat(d.findElements(By.cssSelector("iframe.mail-body"))).isEmpty();
        assertNoAlert();
    }

    @Test
    void aForgedPostWithoutTheSessionsTokenChangesNothing() {
        fx = new IntakeFixture(dir).mailbox("support", "entra", SUPPORT);
        fx.start();
        signIn();

        // From Intake's own page, but without the token (as an injected form would be).
        d.executeScript("var f = document.createElement('form'); f.method = 'post'; f.action = '/mailboxes/support/pause';"
                + "document.body.appendChild(f); f.submit();");
        chromium.until(x -> x.findElement(By.tagName("h1")).getText().equals("This request was refused"));
        assertThat(pausedByAdmin()).isFalse();

        // With a made-up token.
        d.get(url("/"));
        d.executeScript("var f = document.createElement('form'); f.method = 'post'; f.action = '/mailboxes/support/pause';"
                + "var i = document.createElement('input'); i.name = '_csrf'; i.value = 'made-up-token'; f.appendChild(i);"
                + "document.body.appendChild(f); f.submit();");
        chromium.until(x -> x.findElement(By.tagName("h1")).getText().equals("This request was refused"));
        assertThat(pausedByAdmin()).isFalse();

        // From another site, which the browser does not send the session cookie to.
        site.page("<!doctype html><form method=\"post\" action=\"" + url("/mailboxes/support/pause") + "\">"
                + "<input type=\"hidden\" name=\"_csrf\" value=\"guess\"></form><script>document.forms[0].submit();</script>");
        d.get(site.pageUrl());
        chromium.until(x -> x.getCurrentUrl().startsWith(url("/")) && x.findElement(By.tagName("h1")).getText()
                .equals("You are not signed in"));
        assertThat(pausedByAdmin()).isFalse();

        // The page's own button, with the token, works.
        d.get(url("/"));
        mailboxCard("support").findElement(By.cssSelector("button[data-action=pause]")).click();
        chromium.until(x -> x.findElement(By.cssSelector(".notice.ok")).getText().startsWith("Paused"));
        assertThat(pausedByAdmin()).isTrue();
        assertThat(mailboxCard("support").findElements(By.cssSelector("button[data-action=resume]"))).hasSize(1);
    }

    @Test
    void aRevokedGrantShowsNeedsReauthorizationAndReauthorizeFixesIt() {
        fx = new IntakeFixture(dir).mailbox("sales", "google", SALES, "poll-every: 1h");
        fx.google().fixedAccessToken(TOKEN).signInAs(SALES);
        fx.imapUser(SALES, TOKEN);
        fx.start();
        signIn();

        mailboxCard("sales").findElement(By.cssSelector("a[data-action=authorize]")).click();
        d.findElement(By.cssSelector("button[data-action=continue-sign-in]")).click();
        chromium.until(x -> x.findElement(By.tagName("h1")).getText().equals("Mailbox authorized"));
        chromium.until(x -> fx.intake().runs().recent("sales", 1).stream().anyMatch(r -> r.finishedAt().isPresent()));
        d.get(url("/"));
        assertThat(mailboxState("sales")).isEqualTo("active");

        // The user revoked Intake's access at Google (or an admin reset the password).
        fx.google().revokeAll();
        fx.intake().tokens().invalidate("sales");
        mailboxCard("sales").findElement(By.cssSelector("button[data-action=poll]")).click();
        chromium.until(x -> x.findElement(By.cssSelector(".notice.ok")).getText().startsWith("Poll requested"));
        chromium.reloadUntil(x -> mailboxState("sales").equals("needs re-authorization"));
        WebElement card = mailboxCard("sales");
        assertThat(card.findElement(By.cssSelector(".notice.bad")).getText()).contains("Re-authorize");
        assertThat(card.findElement(By.cssSelector(".last-error")).getText()).isNotEqualTo("none");
        assertThat(card.findElement(By.cssSelector("button[data-action=poll]")).isEnabled()).isFalse();
        capture("mailboxes-needs-reauthorization");

        card.findElement(By.cssSelector("a[data-action=authorize]")).click();
        d.findElement(By.cssSelector("button[data-action=continue-sign-in]")).click();
        chromium.until(x -> x.findElement(By.tagName("h1")).getText().equals("Mailbox authorized"));
        d.get(url("/"));
        assertThat(mailboxState("sales")).isEqualTo("active");
        assertThat(fx.intake().schedule().scheduledMailboxes()).contains("sales");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private String url(String path) {
        return fx.url(path).toString();
    }

    private String path() {
        return java.net.URI.create(d.getCurrentUrl()).getPath();
    }

    private void signIn() {
        d.get(url("/sign-in"));
        signInWith(IntakeFixture.ADMIN, IntakeFixture.ADMIN_PASSWORD);
        chromium.until(x -> path().equals("/"));
    }

    private void signInWith(String username, String password) {
        WebElement name = d.findElement(By.id("username"));
        name.clear();
        name.sendKeys(username);
        WebElement pw = d.findElement(By.id("password"));
        pw.clear();
        pw.sendKeys(password);
        d.findElement(By.cssSelector(".sign-in button[type=submit]")).click();
    }

    private WebElement mailboxCard(String id) {
        return chromium.until(x -> x.findElement(By.cssSelector("article[data-mailbox='" + id + "']")));
    }

    private String mailboxState(String id) {
        return mailboxCard(id).findElement(By.cssSelector(".state")).getText();
    }

    private String state() {
        return d.findElement(By.cssSelector(".title-row .state")).getText();
    }

    private boolean pausedByAdmin() {
        return fx.stores().mailboxes().find("support").orElseThrow().pausedByAdmin();
    }

    private void assertNoAlert() {
        assertThatThrownBy(() -> d.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    /** Screenshots at both widths; at neither may the page need sideways scrolling. */
    private void capture(String name) {
        for (int width : List.of(Chromium.WIDE, Chromium.NARROW)) {
            chromium.resize(width);
            assertThat(chromium.viewportWidth()).as("viewport of %s", name).isEqualTo(width);
            assertThat(chromium.overflowsSideways()).as("%s scrolls sideways at %d px", name, width).isFalse();
            chromium.screenshot(name, width);
        }
        chromium.resize(Chromium.WIDE);
    }
}
