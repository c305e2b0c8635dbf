package dev.intake.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.CapturedLogs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what over HTTP: every page but sign-in, the OAuth callback and health needs a session; every
 * state-changing request needs the session's CSRF token; sessions live in the database as hashes; sign-in is
 * throttled; an Intake without configured admins creates and prints its initial admin once.
 */
class AccessControlTest {

    @TempDir
    Path dir;

    IntakeFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    void start() {
        fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com");
        fx.start();
    }

    @Test
    void everyPageButSignInTheCallbackAndHealthNeedsASession() {
        start();
        WebClient anonymous = new WebClient(fx);

        for (String page : List.of("/", "/mailboxes/support", "/mailboxes/support/authorize", "/tickets", "/tickets/1",
                "/tickets/1/body", "/tickets/1/followups/1/body", "/attachments/1", "/providers", "/no-such-page")) {
            HttpResponse<String> r = anonymous.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(303);
            assertThat(WebClient.location(r).getPath()).as(page).isEqualTo("/sign-in");
        }
        assertThat(WebClient.location(anonymous.get("/tickets?q=a%20b&page=2")).toString())
                .isEqualTo("/sign-in?next=%2Ftickets%3Fq%3Da%2520b%26page%3D2");
        for (String api : List.of("/api/mailboxes", "/api/tickets", "/api/tickets/1")) {
            HttpResponse<String> r = anonymous.get(api);
            assertThat(r.statusCode()).as(api).isEqualTo(401);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
            assertThat(r.body()).contains("Not signed in");
        }
        assertThat(anonymous.get("/sign-in").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/static/intake.css").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/oauth/callback").statusCode()).as("public, refused for its missing state").isEqualTo(400);
        // A path that tries to pass as public does not.
        assertThat(anonymous.get("/static/../api/tickets").statusCode()).isNotEqualTo(200);
        assertThat(anonymous.get("/sign-in/../api/tickets").statusCode()).isNotEqualTo(200);
    }

    @Test
    void statechangingRequestsWithoutASessionAreRefusedAndChangeNothing() {
        start();
        WebClient anonymous = new WebClient(fx);

        for (String action : List.of("/mailboxes/support/pause", "/mailboxes/support/resume", "/mailboxes/support/poll",
                "/mailboxes/support/authorize", "/mailboxes/support/refused/1/import", "/sign-out")) {
            HttpResponse<String> r = anonymous.post(action, Map.of("_csrf", "anything"));
            assertThat(r.statusCode()).as(action).isEqualTo(403);
            assertThat(r.body()).as(action).contains("You are not signed in").contains("Nothing was changed");
        }
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().pausedByAdmin()).isFalse();
        assertThat(oauthStates()).isZero();
    }

    @Test
    void everyStateChangingRouteNeedsTheSessionsCsrfToken() {
        start();
        WebClient admin = new WebClient(fx).signIn();
        String token = admin.csrf();

        for (String action : List.of("/mailboxes/support/pause", "/mailboxes/support/resume", "/mailboxes/support/poll",
                "/mailboxes/support/authorize", "/mailboxes/support/refused/1/import", "/sign-out")) {
            assertThat(admin.post(action, Map.of()).statusCode()).as(action + " without token").isEqualTo(403);
            assertThat(admin.post(action, Map.of("_csrf", token + "x")).statusCode()).as(action + " wrong token").isEqualTo(403);
        }
        // Javalin routes by X-HTTP-Method-Override: a GET that asks to be a POST is state-changing too.
        HttpResponse<String> overridden = admin.get("/mailboxes/support/pause", "X-HTTP-Method-Override", "POST");
        assertThat(overridden.statusCode()).isEqualTo(403);
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().pausedByAdmin()).isFalse();
        assertThat(oauthStates()).isZero();
        assertThat(admin.get("/").statusCode()).as("still signed in").isEqualTo(200);

        // A token from another session does not fit this one.
        String otherToken = new WebClient(fx).signIn().csrf();
        assertThat(otherToken).isNotEqualTo(token);
        assertThat(admin.post("/mailboxes/support/pause", Map.of("_csrf", otherToken)).statusCode()).isEqualTo(403);

        // The right token works, as a form field or as a header.
        HttpResponse<String> paused = admin.post("/mailboxes/support/pause", Map.of("_csrf", token, "back", "/"));
        assertThat(paused.statusCode()).isEqualTo(303);
        assertThat(WebClient.location(paused).toString()).isEqualTo("/?done=paused");
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().pausedByAdmin()).isTrue();
        assertThat(admin.post("/mailboxes/support/resume", Map.of(), AccessControl.CSRF_HEADER, token).statusCode())
                .isEqualTo(303);
        assertThat(fx.stores().mailboxes().find("support").orElseThrow().pausedByAdmin()).isFalse();
    }

    @Test
    void theSessionCookieIsHttpOnlyLaxAndOnlyItsHashIsStored() {
        start();
        WebClient admin = new WebClient(fx);
        HttpResponse<String> signedIn = admin.signIn(IntakeFixture.ADMIN, IntakeFixture.ADMIN_PASSWORD);

        assertThat(signedIn.statusCode()).isEqualTo(303);
        String setCookie = signedIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("intake_session="))
                .findFirst().orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Lax").contains("Path=/").doesNotContain("Secure");
        String id = admin.cookie("intake_session").orElseThrow();
        assertThat(id).hasSize(43);
        List<String> stored = fx.stores().jdbi().withHandle(h -> h.createQuery("SELECT id_hash FROM admin_session")
                .mapTo(String.class).list());
        assertThat(stored).hasSize(1).doesNotContain(id);

        // Signing out ends the session on the server, not only in this browser.
        assertThat(admin.post("/sign-out", Map.of("_csrf", admin.csrf())).statusCode()).isEqualTo(303);
        WebClient replay = new WebClient(fx);
        assertThat(replay.get("/", "Cookie", "intake_session=" + id).statusCode()).isEqualTo(303);
        int sessions = fx.stores().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM admin_session")
                .mapTo(Integer.class).one());
        assertThat(sessions).isZero();
    }

    @Test
    void aSessionIsServedByAnyNodeBecauseItLivesInTheDatabase() {
        start();
        WebClient admin = new WebClient(fx).signIn();
        String id = admin.cookie("intake_session").orElseThrow();

        fx.stop();
        fx.start();

        assertThat(new WebClient(fx).get("/", "Cookie", "intake_session=" + id).statusCode()).isEqualTo(200);
    }

    @Test
    void anAdminRemovedFromTheConfigurationIsSignedOut() throws Exception {
        start();
        WebClient admin = new WebClient(fx).signIn();
        assertThat(admin.get("/").statusCode()).isEqualTo(200);

        Files.writeString(fx.configFile(), Files.readString(fx.configFile())
                .replace("username: " + IntakeFixture.ADMIN, "username: someone-else"));
        assertThat(fx.config().checkNow()).isTrue();

        assertThat(admin.get("/").statusCode()).isEqualTo(303);
        assertThat(admin.signIn(IntakeFixture.ADMIN, IntakeFixture.ADMIN_PASSWORD).statusCode()).isEqualTo(401);
    }

    @Test
    void signInIsThrottledAfterRepeatedFailuresWithoutCheckingThePassword() {
        start();
        WebClient guesser = new WebClient(fx);
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> r = guesser.signIn(IntakeFixture.ADMIN, "guess number " + i);
            assertThat(r.statusCode()).as("attempt %d", i).isEqualTo(401);
            assertThat(r.body()).contains("Wrong user name or password.");
        }

        HttpResponse<String> blocked = guesser.signIn(IntakeFixture.ADMIN, IntakeFixture.ADMIN_PASSWORD);

        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After").map(Integer::parseInt).orElseThrow()).isBetween(1, 30);
        assertThat(blocked.body()).contains("Too many failed sign-ins");
        assertThat(guesser.cookie("intake_session")).isEmpty();
    }

    @Test
    void signInNeedsTheFormsOwnTokenAndNeverRedirectsOffSite() {
        start();
        WebClient client = new WebClient(fx);
        // Login CSRF: a form posted from elsewhere has no matching token.
        HttpResponse<String> forged = client.post("/sign-in", Map.of("username", IntakeFixture.ADMIN, "password",
                IntakeFixture.ADMIN_PASSWORD));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(client.cookie("intake_session")).isEmpty();

        for (String next : List.of("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)")) {
            client.forgetCookies();
            HttpResponse<String> form = client.get("/sign-in?next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8));
            HttpResponse<String> r = client.post("/sign-in", Map.of("_signin", IntakeFixture.formField(form.body(), "_signin"),
                    "next", next, "username", IntakeFixture.ADMIN, "password", IntakeFixture.ADMIN_PASSWORD));
            assertThat(WebClient.location(r).toString()).as(next).isEqualTo("/");
        }
    }

    @Test
    void withoutConfiguredAdminsTheFirstStartCreatesOneWithItsPasswordInAPrivateFile() throws Exception {
        fx = new IntakeFixture(dir).withoutAdmins().mailbox("support", "entra", "support@contoso.com");
        String console;
        String password;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            console = capturingStdout(fx::start);
            // The tests' output is no terminal, as a service's is not: the password is in the file only.
            java.nio.file.Path file = dir.resolve("data/initial-admin-password");
            assertThat(console).contains("user name: admin").contains(file.toString()).doesNotContainPattern("password:\\s+\\S{24}\\s");
            assertThat(java.nio.file.Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            Matcher m = Pattern.compile("password:\\s+(\\S+)").matcher(java.nio.file.Files.readString(file));
            assertThat(m.find()).isTrue();
            password = m.group(1);
            assertThat(console).doesNotContain(password);

            WebClient client = new WebClient(fx);
            assertThat(client.get("/sign-in").body()).contains("No admin is configured yet");
            assertThat(client.signIn("admin", "not it").statusCode()).isEqualTo(401);
            assertThat(client.signIn("admin", password).statusCode()).isEqualTo(303);
            assertThat(client.get("/").statusCode()).isEqualTo(200);

            fx.stop();
            assertThat(capturingStdout(fx::start)).as("printed once only").doesNotContain("password:");
            assertThat(new WebClient(fx).signIn("admin", password).statusCode()).isEqualTo(303);
            assertThat(logs.text()).doesNotContain(password).contains("initial admin");
        }
        fx.stop();
        assertThat(new String(fx.databaseBytes(), StandardCharsets.ISO_8859_1)).doesNotContain(password);
    }

    private int oauthStates() {
        return fx.stores().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM oauth_state")
                .mapTo(Integer.class).one());
    }

    private static String capturingStdout(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
