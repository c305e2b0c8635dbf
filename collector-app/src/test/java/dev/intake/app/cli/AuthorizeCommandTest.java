package dev.intake.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.support.IntakeFixture;
import dev.intake.testing.Browser;
import dev.intake.testing.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code intake authorize} on a headless server: it prints the URL, receives the callback itself, reports the outcome. */
class AuthorizeCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsTheSignInUrlReceivesTheCallbackAndReportsTheAccount() throws Exception {
        try (IntakeFixture fx = new IntakeFixture(dir).mailbox("sales", "google", "sales@example.com")) {
            fx.writeConfig();
            fx.google().signInAs("sales@example.com");
            StringWriter out = new StringWriter();
            CommandLine cl = IntakeCommand.commandLine();
            cl.setOut(new PrintWriter(out, true));
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
                    cl.execute("authorize", "sales", "--wait", "60s", "--config", fx.configFile().toString()));

            URI url = awaitUrl(out);
            // Something else calls the callback first (a scanner, an old tab): the command waits on.
            Browser.Page stray = new Browser(TestCertificates.get().clientContext())
                    .open(URI.create(fx.url("/oauth/callback") + "?code=x&state=not-ours"));
            assertThat(stray.status()).isEqualTo(400);
            Thread.sleep(1500);
            assertThat(exit).as("still waiting for its own sign-in").isNotDone();
            Browser.Page page = new Browser(TestCertificates.get().clientContext()).open(url);

            assertThat(page.status()).isEqualTo(200);
            assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
            assertThat(out.toString()).contains("Authorized: mailbox 'sales' by sales@example.com");
        }
    }

    private static URI awaitUrl(StringWriter out) throws InterruptedException {
        Pattern url = Pattern.compile("^  (http\\S+)$", Pattern.MULTILINE);
        for (int i = 0; i < 300; i++) {
            Matcher m = url.matcher(out.toString());
            if (m.find()) {
                return URI.create(m.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no URL printed: " + out);
    }
}
