package dev.intake.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.Mails;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code intake} command line, run in process against a real configuration, database, GreenMail and fakes. */
public class CommandLineTest {

    @TempDir
    Path dir;

    public record Result(int code, String out, String err) {
    }

    public static Result run(String... args) {
        CommandLine cl = IntakeCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void configCheckPrintsOkAndASummaryWithoutSecrets() throws Exception {
        try (IntakeFixture fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com")) {
            fx.writeConfig();
            Result r = run("config", "check", "--config", fx.configFile().toString());

            assertThat(r.code()).isZero();
            assertThat(r.out()).startsWith("ok: ").contains("support").contains("entra")
                    .doesNotContain(IntakeFixture.ENTRA_SECRET).doesNotContain(IntakeFixture.GOOGLE_SECRET);
            assertThat(r.out()).contains("database: the H2 file does not exist yet");
        }
    }

    @Test
    void configCheckListsEveryProblemWithExitCode2() throws Exception {
        Path file = dir.resolve("collector.yaml");
        Files.writeString(file, """
                server:
                  prot: 8080
                mailboxes:
                  - id: support
                    provider: entr
                    address: not-an-address
                    poll_every: 1m
                """);

        Result r = run("config", "check", "--config", file.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("server.prot").contains("unknown key")
                .contains("mailboxes[0].poll_every").contains("did you mean 'poll-every'")
                .contains("mailboxes[0].provider").contains("'entr'")
                .contains("mailboxes[0].address");
    }

    @Test
    void pollTicketsAndMailboxesWorkOnTheStoredData() throws Exception {
        try (IntakeFixture fx = new IntakeFixture(dir).mailbox("support", "entra", "support@contoso.com",
                "accepted-folder: Intake/Accepted", "initial-sync: all", "paused: true")) {
            fx.entra().fixedAccessToken("cli-token");
            GreenMailUser user = fx.imapUser("support@contoso.com", "cli-token");
            fx.start();
            fx.authorize("support", "support@contoso.com");
            fx.append(user, "INBOX", Mails.withAttachment("ann@customer.example", "support@contoso.com", "Laptop broken",
                    "<cli1@x>", "Screen is black", "photo.pdf", new byte[] {1, 2, 3}), Instant.now());
            fx.append(user, "INBOX", Mails.plain("x@shop.example", "support@contoso.com", "Sale", "<cli2@x>", "buy",
                    "Precedence: bulk"), Instant.now());
            fx.stop();
            String config = fx.configFile().toString();

            Result poll = run("poll", "support", "--config", config);
            assertThat(poll.code()).as(poll.err()).isZero();
            assertThat(poll.out()).contains("fetched     2").contains("tickets     1").contains("bulk 1");

            Result list = run("tickets", "list", "--config", config);
            assertThat(list.out()).contains("Laptop broken").contains("ann@customer.example").contains("1 ticket(s)");

            Result show = run("tickets", "show", "1", "--config", config);
            assertThat(show.out()).contains("Ticket #1  Laptop broken").contains("Screen is black")
                    .contains("[attachment] photo.pdf");
            assertThat(run("tickets", "show", "99", "--config", config).code()).isEqualTo(1);

            Result mailboxes = run("mailboxes", "--config", config);
            assertThat(mailboxes.out()).contains("support").contains("paused").contains("support@contoso.com");

            Result rotate = run("keys", "rotate", "--config", config);
            assertThat(rotate.code()).isZero();
            assertThat(rotate.out()).contains("Nothing to do");

            assertThat(run("poll", "nosuch", "--config", config).err()).contains("not configured");
        }
    }

    @Test
    void configCheckFailsWhenTheDatabaseDoesNotOpenWithTheConfiguredUser() throws Exception {
        try (IntakeFixture fx = new IntakeFixture(dir)) {
            fx.start();
            fx.stop();
            String config = fx.configFile().toString();
            assertThat(run("config", "check", "--config", config).code()).isZero();

            fx.writeConfigText(fx.configFileText().replace("user: sa", "user: intake"));
            Result wrongUser = run("config", "check", "--config", config);

            assertThat(wrongUser.code()).isEqualTo(2);
            assertThat(wrongUser.err()).contains("database: cannot be opened with database.url, database.user and "
                    + "database.password");
        }
    }

    @Test
    void configCheckOfAFreshInstallationSaysTheDatabaseIsCreatedByTheFirstRun() throws Exception {
        try (IntakeFixture fx = new IntakeFixture(dir)) {
            fx.writeConfig();
            Result fresh = run("config", "check", "--config", fx.configFile().toString());

            assertThat(fresh.code()).as(fresh.err()).isZero();
            assertThat(fresh.out()).contains("the H2 file does not exist yet; the first `intake run` creates it");
        }
    }

    @Test
    void keysGeneratePrintsA32ByteKey() {
        Result r = run("keys", "generate");
        assertThat(java.util.Base64.getDecoder().decode(r.out().trim())).hasSize(32);
    }

    @Test
    void testReportsEachStepAndExitsWithWhetherTheMailboxCanBeCollected() throws Exception {
        try (IntakeFixture fx = new IntakeFixture(dir)
                .mailbox("billing", "entra", "billing@contoso.com", "auth: app", "paused: true")
                .mailbox("support", "entra", "support@contoso.com", "paused: true")) {
            fx.entra().fixedAccessToken("cli-app-token");
            fx.imapUser("billing@contoso.com", "cli-app-token");
            fx.writeConfig();
            String config = fx.configFile().toString();

            Result works = run("test", "billing", "--config", config);
            assertThat(works.code()).as(works.err()).isZero();
            assertThat(works.out()).contains("Access token             ok: App-only token")
                    .contains("XOAUTH2 login            ok: Logged in as billing@contoso.com")
                    .contains("Open folder INBOX        ok").doesNotContain("cli-app-token");

            Result notAuthorized = run("test", "support", "--config", config);
            assertThat(notAuthorized.code()).isEqualTo(1);
            assertThat(notAuthorized.out()).contains("Access token             FAILED: The mailbox is not authorized yet")
                    .contains("IMAP connection          not tried");
            assertThat(run("test", "nope", "--config", config).code()).isEqualTo(2);
            assertThat(run("mailboxes", "--config", config).out()).containsPattern("billing .*\\(app-only\\)");
        }
    }
}
