package dev.intake.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.store.Database;
import dev.intake.testing.MutableClock;
import dev.intake.config.AdminAccount;
import dev.intake.config.DatabaseConfig;
import dev.intake.config.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guesser who sends many wrong passwords at once gets no more of them checked than one who sends them one by one:
 * each attempt is counted before its password is checked.
 */
class SignInRaceTest {

    @TempDir
    Path dir;

    @Test
    void parallelWrongPasswordsAreCheckedNoMoreOftenThanTheFreeFailures() throws Exception {
        try (Database db = Database.open(new DatabaseConfig("jdbc:h2:file:" + dir.resolve("intake"), Optional.empty(),
                Optional.empty(), 20))) {
            MutableClock clock = MutableClock.startingNow();
            Passwords passwords = new Passwords(4);
            AdminAccount ann = new AdminAccount("ann", passwords.hash(Secret.of("ann's good password")));
            AdminDirectory admins = new AdminDirectory(() -> AdminStoresTest.config(List.of(ann)),
                    new InitialAdminStore(db.jdbi(), passwords, clock), passwords);
            SignIn signIn = new SignIn(admins, new AdminSessionStore(db.jdbi(), clock), new SignInFailureStore(db.jdbi(), clock));

            int attempts = 40;
            ExecutorService pool = Executors.newFixedThreadPool(attempts);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SignIn.Result>> results = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return signIn.attempt("ann", Secret.of("guess"), "198.51.100.7");
                }));
            }
            go.countDown();
            int checked = 0;
            int throttled = 0;
            for (Future<SignIn.Result> r : results) {
                SignIn.Result result = r.get();
                checked += result instanceof SignIn.Result.Refused ? 1 : 0;
                throttled += result instanceof SignIn.Result.Throttled ? 1 : 0;
            }
            pool.shutdown();

            assertThat(checked).as("passwords checked").isEqualTo(SignInFailureStore.FREE_FAILURES);
            assertThat(throttled).isEqualTo(attempts - SignInFailureStore.FREE_FAILURES);
            assertThat(signIn.attempt("ann", Secret.of("ann's good password"), "198.51.100.7"))
                    .as("blocked even with the right password until the block ends").isInstanceOf(SignIn.Result.Throttled.class);
        }
    }
}
