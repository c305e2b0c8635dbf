package dev.intake.app.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.store.Database;
import dev.intake.app.support.database.OnEachDatabase;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.config.AdminAccount;
import dev.intake.config.Secret;
import dev.intake.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;

/** Sessions, throttling and the initial admin on H2 and on PostgreSQL, with a clock the tests move. */
class AdminStoresTest {

    Database db;
    MutableClock clock;

    @BeforeEach
    void open(StoreTestBed bed) {
        db = bed.database();
        clock = bed.clock();
    }

    // ---- sessions ----------------------------------------------------------------------------------------------

    @OnEachDatabase
    void aSessionIsFoundByItsIdAndCarriesAStableCsrfTokenOfItsOwn() {
        AdminSessionStore sessions = new AdminSessionStore(db.jdbi(), clock);
        AdminSession a = sessions.open("ann");
        AdminSession b = sessions.open("ann");

        AdminSession found = sessions.find(a.id().reveal()).orElseThrow();
        assertThat(found.username()).isEqualTo("ann");
        assertThat(found.csrfToken()).isEqualTo(a.csrfToken());
        assertThat(a.csrfToken()).isNotEqualTo(b.csrfToken());
        assertThat(a.csrfToken().reveal()).isNotEqualTo(a.id().reveal());
        assertThat(AdminSessions.csrfMatches(found, a.csrfToken().reveal())).isTrue();
        assertThat(AdminSessions.csrfMatches(found, b.csrfToken().reveal())).isFalse();
        assertThat(AdminSessions.csrfMatches(found, null)).isFalse();
        assertThat(found.toString()).doesNotContain(a.id().reveal()).doesNotContain(a.csrfToken().reveal());
    }

    @OnEachDatabase
    void garbageOrUnknownIdsFindNothing() {
        AdminSessionStore sessions = new AdminSessionStore(db.jdbi(), clock);
        sessions.open("ann");

        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find("' OR 1=1 --")).isEmpty();
        assertThat(sessions.find("A".repeat(43))).isEmpty();
    }

    @OnEachDatabase
    void aSessionEndsAfterTwelveIdleHoursButUseKeepsItAlive() {
        AdminSessionStore sessions = new AdminSessionStore(db.jdbi(), clock);
        AdminSession s = sessions.open("ann");

        clock.advance(Duration.ofHours(11));
        assertThat(sessions.find(s.id().reveal())).isPresent();
        clock.advance(Duration.ofHours(11));
        assertThat(sessions.find(s.id().reveal())).as("used 11 hours ago").isPresent();
        clock.advance(AdminSessionStore.IDLE.plusSeconds(1));
        assertThat(sessions.find(s.id().reveal())).isEmpty();
    }

    @OnEachDatabase
    void aSessionEndsSevenDaysAfterSignInHoweverBusy() {
        AdminSessionStore sessions = new AdminSessionStore(db.jdbi(), clock);
        AdminSession s = sessions.open("ann");

        for (int i = 0; i < 6 * 4; i++) {
            clock.advance(Duration.ofHours(6));
            assertThat(sessions.find(s.id().reveal())).isPresent();
        }
        clock.advance(Duration.ofDays(1));
        assertThat(sessions.find(s.id().reveal())).isEmpty();
    }

    @OnEachDatabase
    void closingASessionEndsItAndOnlyIt() {
        AdminSessionStore sessions = new AdminSessionStore(db.jdbi(), clock);
        AdminSession a = sessions.open("ann");
        AdminSession b = sessions.open("ann");

        sessions.close(a.id());

        assertThat(sessions.find(a.id().reveal())).isEmpty();
        assertThat(sessions.find(b.id().reveal())).isPresent();
    }

    // ---- throttling ----------------------------------------------------------------------------------------------

    @OnEachDatabase
    void fiveFailuresBlockAKeyForThirtySecondsThenTheBlockDoubles() {
        SignInFailureStore throttle = new SignInFailureStore(db.jdbi(), clock);
        List<String> keys = List.of("address:10.0.0.1", "user:ann");

        for (int i = 0; i < 4; i++) {
            throttle.recordFailure(keys);
            assertThat(throttle.blockedFor(keys)).as("after %d failures", i + 1).isEmpty();
        }
        throttle.recordFailure(keys);
        assertThat(seconds(throttle.blockedFor(keys))).isEqualTo(30);
        assertThat(seconds(throttle.blockedFor(List.of("user:ann")))).isEqualTo(30);
        assertThat(throttle.blockedFor(List.of("address:10.0.0.2", "user:bob"))).isEmpty();

        clock.advance(Duration.ofSeconds(31));
        assertThat(throttle.blockedFor(keys)).isEmpty();
        throttle.recordFailure(keys);
        assertThat(seconds(throttle.blockedFor(keys))).isEqualTo(60);
        assertThat(SignInFailureStore.block(30)).isEqualTo(SignInFailureStore.LONGEST_BLOCK);
    }

    @OnEachDatabase
    void aSuccessOrAnHourOfQuietClearsTheCount() {
        SignInFailureStore throttle = new SignInFailureStore(db.jdbi(), clock);
        List<String> keys = List.of("address:10.0.0.1", "user:ann");
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure(keys);
        }
        throttle.recordSuccess(keys);
        throttle.recordFailure(keys);
        assertThat(throttle.blockedFor(keys)).as("counting from 1 again").isEmpty();

        for (int i = 0; i < 3; i++) {
            throttle.recordFailure(keys);
        }
        clock.advance(SignInFailureStore.FORGET_AFTER.plusMinutes(1));
        throttle.recordFailure(keys);
        assertThat(throttle.blockedFor(keys)).isEmpty();
    }

    @OnEachDatabase
    void signInThrottlesWithoutCheckingThePasswordAndClearsOnSuccess() {
        Passwords passwords = new Passwords(4);
        Secret hash = passwords.hash(Secret.of("ann's good password"));
        InitialAdminStore initial = new InitialAdminStore(db.jdbi(), passwords, clock);
        AdminDirectory directory = new AdminDirectory(() -> config(List.of(new AdminAccount("ann", hash))), initial, passwords);
        SignIn signIn = new SignIn(directory, new AdminSessionStore(db.jdbi(), clock), new SignInFailureStore(db.jdbi(), clock));

        assertThat(signIn.attempt("ann", Secret.of("ann's good password"), "10.0.0.1")).isInstanceOf(SignIn.Result.SignedIn.class);
        assertThat(signIn.attempt("nobody", Secret.of("ann's good password"), "10.0.0.1")).isInstanceOf(SignIn.Result.Refused.class);
        for (int i = 0; i < SignInFailureStore.FREE_FAILURES; i++) {
            assertThat(signIn.attempt("ann", Secret.of("guess " + i), "10.0.0.9")).isInstanceOf(SignIn.Result.Refused.class);
        }
        assertThat(signIn.attempt("ann", Secret.of("ann's good password"), "10.0.0.9")).isInstanceOf(SignIn.Result.Throttled.class);
        assertThat(signIn.attempt("ann", Secret.of("ann's good password"), "10.0.0.1")).as("the name is blocked too")
                .isInstanceOf(SignIn.Result.Throttled.class);
        clock.advance(Duration.ofSeconds(31));
        assertThat(signIn.attempt("ann", Secret.of("ann's good password"), "10.0.0.9")).isInstanceOf(SignIn.Result.SignedIn.class);
        assertThat(signIn.attempt("ann", Secret.of("wrong again"), "10.0.0.9")).isInstanceOf(SignIn.Result.Refused.class);
    }

    // ---- the initial admin ---------------------------------------------------------------------------------------

    @OnEachDatabase
    void theInitialAdminIsCreatedOncePrintedOnceAndSignsInOnlyWhileNoAdminIsConfigured() {
        Passwords passwords = new Passwords(4);
        InitialAdminStore initial = new InitialAdminStore(db.jdbi(), passwords, clock);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        assertThat(initial.ensure(List.of(), new PrintStream(console, true, StandardCharsets.UTF_8), passwordFile(), true))
                .as("on a terminal the password is shown as well").isTrue();
        String printed = console.toString(StandardCharsets.UTF_8);
        String password = printed.lines().filter(l -> l.contains("password:")).findFirst().orElseThrow()
                .replaceFirst(".*password:\\s+", "").strip();
        assertThat(password).hasSize(24);
        assertThat(initial.ensure(List.of(), new PrintStream(new ByteArrayOutputStream()), passwordFile(), true))
                .as("a second start").isFalse();
        assertThat(initial.storedHash(InitialAdminStore.USERNAME).orElseThrow().reveal()).startsWith("$2a$").doesNotContain(password);

        List<AdminAccount> configured = List.of();
        AdminDirectory directory = new AdminDirectory(() -> config(configured), initial, passwords);
        assertThat(directory.usesInitialAdmin()).isTrue();
        assertThat(directory.authenticate("admin", Secret.of(password))).contains("admin");
        assertThat(directory.authenticate("admin", Secret.of("wrong"))).isEmpty();

        AdminAccount ann = new AdminAccount("ann", passwords.hash(Secret.of("ann's good password")));
        AdminDirectory configuredNow = new AdminDirectory(() -> config(List.of(ann)), initial, passwords);
        assertThat(configuredNow.usesInitialAdmin()).isFalse();
        assertThat(configuredNow.authenticate("admin", Secret.of(password))).isEmpty();
        assertThat(configuredNow.isAdmin("admin")).isFalse();
        assertThat(configuredNow.authenticate("ann", Secret.of("ann's good password"))).contains("ann");
    }

    @OnEachDatabase
    void noInitialAdminWhenAdminsAreConfigured() {
        InitialAdminStore initial = new InitialAdminStore(db.jdbi(), new Passwords(4), clock);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        assertThat(initial.ensure(List.of(new AdminAccount("ann", Secret.of("$2a$04$" + "a".repeat(53)))),
                new PrintStream(console), passwordFile(), false)).isFalse();
        assertThat(console.size()).isZero();
        assertThat(initial.exists()).isFalse();
    }

    private java.nio.file.Path passwordFile() {
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "intake-test-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime(), "initial-admin-password");
    }

    /** Whole seconds (the database keeps timestamps to the microsecond). */
    private static long seconds(Optional<Duration> d) {
        return Math.round(d.orElseThrow().toMillis() / 1000.0);
    }

    static dev.intake.config.IntakeConfig config(List<AdminAccount> admins) {
        dev.intake.config.IntakeConfig defaults = new dev.intake.config.ConfigLoader(name -> null).defaults().config();
        return new dev.intake.config.IntakeConfig(defaults.server(), defaults.database(), defaults.encryption(),
                defaults.tls(), defaults.providers(), defaults.mailboxes(), defaults.tickets(), defaults.operations(), admins,
                defaults.api(), defaults.delivery());
    }
}
