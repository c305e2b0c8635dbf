package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.testing.MutableClock;
import dev.intake.config.ServerConfig;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The small parts of the web layer: download names, local paths, the session cookie, times. */
class WebPartsTest {

    @Test
    void downloadNamesKeepTheNameButNeverAPathOrAQuote() {
        assertThat(Downloads.contentDisposition("invoice.pdf"))
                .isEqualTo("attachment; filename=\"invoice.pdf\"; filename*=UTF-8''invoice.pdf");
        assertThat(Downloads.contentDisposition("../../etc/passwd")).startsWith("attachment; filename=\"passwd\"");
        assertThat(Downloads.contentDisposition("C:\\Users\\x\\evil.exe")).startsWith("attachment; filename=\"evil.exe\"");
        assertThat(Downloads.contentDisposition("a\"b\r\nSet-Cookie: x=y.txt"))
                .doesNotContain("\r").doesNotContain("\n").startsWith("attachment; filename=\"a_bSet-Cookie_ x_y.txt\"");
        assertThat(Downloads.contentDisposition("Bestellübersicht März.pdf"))
                .isEqualTo("attachment; filename=\"Bestellubersicht Marz.pdf\"; "
                        + "filename*=UTF-8''Bestell%C3%BCbersicht%20M%C3%A4rz.pdf");
        assertThat(Downloads.contentDisposition("報告.docx")).startsWith("attachment; filename=\"__.docx\"")
                .endsWith("filename*=UTF-8''%E5%A0%B1%E5%91%8A.docx");
        assertThat(Downloads.contentDisposition(".htaccess")).startsWith("attachment; filename=\"htaccess\"");
        assertThat(Downloads.contentDisposition("  ")).startsWith("attachment; filename=\"attachment\"");
        assertThat(Downloads.contentDisposition("evil\u202Egpj.exe")).doesNotContain("\u202E");
    }

    @Test
    void onlyPathsOfThisIntakeAreFollowedAfterAForm() {
        assertThat(LocalPaths.safe("/tickets?q=printer&page=2")).contains("/tickets?q=printer&page=2");
        assertThat(LocalPaths.safe("/mailboxes/support")).contains("/mailboxes/support");
        assertThat(LocalPaths.safe("//evil.example/")).isEmpty();
        assertThat(LocalPaths.safe("/\\evil.example")).isEmpty();
        assertThat(LocalPaths.safe("https://evil.example/")).isEmpty();
        assertThat(LocalPaths.safe("javascript:alert(1)")).isEmpty();
        assertThat(LocalPaths.safe("/tickets\r\nSet-Cookie: x")).isEmpty();
        assertThat(LocalPaths.safe("/sign-in?next=/")).as("no loop back to sign-in").isEmpty();
        assertThat(LocalPaths.safe(null)).isEmpty();
        assertThat(LocalPaths.safeOr("//evil.example", "/")).isEqualTo("/");
    }

    @Test
    void overHttpsTheSessionCookieIsSecureAndHostBound() {
        SessionCookie https = new SessionCookie(new ServerConfig("0.0.0.0", 8080, URI.create("https://intake.example.com")));
        Cookie c = https.cookie("value", -1);

        assertThat(c.getName()).isEqualTo("__Host-intake_session");
        assertThat(c.getSecure()).isTrue();
        assertThat(c.isHttpOnly()).isTrue();
        assertThat(c.getSameSite()).isEqualTo(SameSite.LAX);
        assertThat(c.getPath()).isEqualTo("/");
        assertThat(c.getDomain()).isNull();
        assertThat(https.cookie("", 0).getSecure()).as("the clearing cookie too, or browsers ignore it").isTrue();

        SessionCookie http = new SessionCookie(new ServerConfig("127.0.0.1", 8080, URI.create("http://localhost:8080")));
        assertThat(http.cookie("value", -1).getName()).isEqualTo("intake_session");
        assertThat(http.cookie("value", -1).getSecure()).isFalse();
    }

    @Test
    void timesReadAtAGlanceWithTheExactTimeBeside() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
        Times times = new Times(clock);

        assertThat(times.ago(clock.instant().minusSeconds(10))).isEqualTo("just now");
        assertThat(times.ago(clock.instant().minus(Duration.ofMinutes(1)))).isEqualTo("1 minute ago");
        assertThat(times.ago(clock.instant().minus(Duration.ofMinutes(25)))).isEqualTo("25 minutes ago");
        assertThat(times.ago(clock.instant().minus(Duration.ofHours(5)))).isEqualTo("5 hours ago");
        assertThat(times.ago(clock.instant().minus(Duration.ofDays(3)))).isEqualTo("3 days ago");
        assertThat(times.ago(clock.instant().plus(Duration.ofHours(2)))).isEqualTo("in 2 hours");
        assertThat(times.show(Instant.parse("2026-11-23T09:05:00Z")).exact()).isEqualTo("2026-11-23 09:05 UTC");
    }
}
