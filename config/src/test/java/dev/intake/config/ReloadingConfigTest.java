package dev.intake.config;

import static dev.intake.config.ConfigTestBed.ONE_PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingConfigTest {

    @TempDir
    Path dir;
    ConfigTestBed fx;
    ReloadingConfig reloading;
    final List<IntakeConfig[]> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new ConfigTestBed(dir);
    }

    @AfterEach
    void tearDown() {
        if (reloading != null) {
            reloading.close();
        }
    }

    private static String withPollEvery(String pollEvery) {
        return ONE_PROVIDER + """
                mailboxes:
                  - id: support
                    provider: entra
                    address: support@contoso.com
                    poll-every: %s
                """.formatted(pollEvery);
    }

    private ReloadingConfig start(String yaml) throws ConfigException {
        reloading = new ReloadingConfig(fx.loader, fx.config(yaml));
        reloading.addListener((previous, next) -> published.add(new IntakeConfig[] {previous, next}));
        return reloading;
    }

    private static Duration pollEvery(IntakeConfig config) {
        return config.mailbox("support").orElseThrow().pollEvery();
    }

    @Test
    void validChangeIsPublishedToListenersWithTheNewValues() throws Exception {
        start(withPollEvery("1m"));
        IntakeConfig first = reloading.current();

        fx.config(withPollEvery("5m"));

        assertThat(reloading.checkNow()).isTrue();
        assertThat(pollEvery(reloading.current())).isEqualTo(Duration.ofMinutes(5));
        assertThat(published).hasSize(1);
        assertThat(published.get(0)[0]).isSameAs(first);
        assertThat(pollEvery(published.get(0)[1])).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aFileCaughtHalfWrittenIsNotAppliedButReadAgainOnceComplete() throws Exception {
        start(withPollEvery("1m"));
        // The first half of a copy in progress: valid YAML on its own, without the mailboxes that follow.
        fx.config(ONE_PROVIDER);
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(40);
                fx.config(withPollEvery("5m"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        writer.start();

        boolean appliedAtOnce = reloading.checkNow();
        writer.join();

        assertThat(published).as("no configuration without the mailbox was ever applied")
                .allSatisfy(p -> assertThat(p[1].mailbox("support")).isPresent());
        assertThat(appliedAtOnce || reloading.checkNow()).isTrue();
        assertThat(pollEvery(reloading.current())).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void nothingIsPublishedWhileNothingChanged() throws Exception {
        start(withPollEvery("1m"));

        assertThat(reloading.checkNow()).isFalse();
        fx.config(withPollEvery("1m"));
        assertThat(reloading.checkNow()).as("same content written again").isFalse();
        assertThat(published).isEmpty();
    }

    @Test
    void changeIsSeenByContentEvenWithTheSameSizeAndTimestamp() throws Exception {
        start(withPollEvery("1m"));
        Path file = dir.resolve("collector.yaml");
        FileTime before = Files.getLastModifiedTime(file);

        fx.config(withPollEvery("2m"));
        Files.setLastModifiedTime(file, before);

        assertThat(reloading.checkNow()).isTrue();
        assertThat(pollEvery(reloading.current())).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void fileReplacedByRenameAsEditorsSaveIsSeen() throws Exception {
        start(withPollEvery("1m"));
        Path replacement = fx.write("collector.yaml.tmp", withPollEvery("3m"));

        Files.move(replacement, dir.resolve("collector.yaml"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);

        assertThat(reloading.checkNow()).isTrue();
        assertThat(pollEvery(reloading.current())).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void invalidChangeKeepsTheLastGoodSnapshotUntilFixed() throws Exception {
        start(withPollEvery("1m"));
        IntakeConfig good = reloading.current();

        fx.config(withPollEvery("soon"));

        assertThat(reloading.checkNow()).isFalse();
        assertThat(reloading.current()).isSameAs(good);
        assertThat(published).isEmpty();
        assertThat(reloading.lastRejected()).hasValueSatisfying(e -> assertThat(e.problems())
                .extracting(ConfigProblem::path).containsExactly("mailboxes[0].poll-every"));
        assertThat(reloading.checkNow()).as("the same bad file is not loaded again").isFalse();

        fx.config(withPollEvery("10m"));

        assertThat(reloading.checkNow()).isTrue();
        assertThat(pollEvery(reloading.current())).isEqualTo(Duration.ofMinutes(10));
        assertThat(reloading.lastRejected()).isEmpty();
        assertThat(published).hasSize(1);
        assertThat(published.get(0)[0]).isSameAs(good);
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aSecretReplacedByADeviceIsRefusedAndTheLastGoodSnapshotStays() throws Exception {
        Path secret = fx.write("secret", "s1");
        start(ONE_PROVIDER.replace("client-secret: entra-client-secret-value", "client-secret: ${file:secret}"));
        IntakeConfig good = reloading.current();
        java.nio.file.Files.delete(secret);
        java.nio.file.Files.createSymbolicLink(secret, Path.of("/dev/zero"));

        assertThat(reloading.checkNow()).isFalse();

        assertThat(reloading.current()).isSameAs(good);
        assertThat(reloading.lastRejected()).hasValueSatisfying(e -> assertThat(e.problems().toString())
                .contains("is not a regular file"));
    }

    @Test
    void aConfigurationFileCreatedAfterTheStartIsLoadedWithoutARestart() throws Exception {
        Path file = dir.resolve("collector.yaml");
        reloading = ReloadingConfig.awaiting(fx.loader, file);
        reloading.addListener((previous, next) -> published.add(new IntakeConfig[] {previous, next}));
        assertThat(reloading.current().mailboxes()).isEmpty();
        assertThat(reloading.checkNow()).as("nothing there yet").isFalse();

        fx.config(withPollEvery("3m"));

        assertThat(reloading.checkNow()).isTrue();
        assertThat(pollEvery(reloading.current())).isEqualTo(Duration.ofMinutes(3));
        assertThat(published).hasSize(1);
    }

    @Test
    void rotatedSecretFilePublishesASnapshotWithTheNewSecret() throws Exception {
        fx.write("secrets/entra", "old-secret\n");
        start("""
                providers:
                  entra:
                    tenant: contoso.onmicrosoft.com
                    client-id: app
                    client-secret: ${file:secrets/entra}
                """);

        fx.write("secrets/entra", "new-secret\n");

        assertThat(reloading.checkNow()).isTrue();
        assertThat(reloading.current().provider("entra").orElseThrow().clientSecret().reveal()).isEqualTo("new-secret");
        assertThat(published.get(0)[0].provider("entra").orElseThrow().clientSecret().reveal()).isEqualTo("old-secret");
    }

    @Test
    void symlinkSwapOfASecretIsSeen() throws Exception {
        fx.write("v1/secret", "first");
        fx.write("v2/secret", "second");
        Path link = dir.resolve("current");
        Files.createSymbolicLink(link, dir.resolve("v1"));
        start(ONE_PROVIDER.replace("entra-client-secret-value", "${file:current/secret}"));

        Path next = dir.resolve("current.next");
        Files.createSymbolicLink(next, dir.resolve("v2"));
        Files.move(next, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThat(reloading.checkNow()).isTrue();
        assertThat(reloading.current().provider("entra").orElseThrow().clientSecret().reveal()).isEqualTo("second");
    }

    @Test
    void secretFileThatAppearsLaterCompletesARejectedChange() throws Exception {
        start(withPollEvery("1m"));
        fx.config(withPollEvery("1m").replace("entra-client-secret-value", "${file:secrets/new}"));
        assertThat(reloading.checkNow()).isFalse();
        assertThat(reloading.lastRejected()).isPresent();

        fx.write("secrets/new", "now-here");

        assertThat(reloading.checkNow()).isTrue();
        assertThat(reloading.current().provider("entra").orElseThrow().clientSecret().reveal()).isEqualTo("now-here");
        assertThat(reloading.lastRejected()).isEmpty();
    }

    @Test
    void newTrustStoreContentAtTheSamePathIsAChangeOfTls() throws Exception {
        Path store = TestTrustStores.create(dir.resolve("trust.p12"), "first-ca");
        start("tls:\n  truststore: trust.p12\n  truststore-password: " + TestTrustStores.PASSWORD + "\n");

        TestTrustStores.create(store, "second-ca");

        assertThat(reloading.checkNow()).isTrue();
        assertThat(published).hasSize(1);
        IntakeConfig before = published.get(0)[0];
        IntakeConfig after = published.get(0)[1];
        assertThat(after.tls().truststore()).isEqualTo(before.tls().truststore());
        assertThat(after.tls()).as("what trusts it is built again").isNotEqualTo(before.tls());
        assertThat(after.mailboxes()).isEqualTo(before.mailboxes());
    }

    @Test
    void aListenerThatThrowsDoesNotKeepOthersFromTheChange() throws Exception {
        start(withPollEvery("1m"));
        reloading.addListener((previous, next) -> {
            throw new IllegalStateException("broken listener");
        });
        List<Duration> seenByLast = new CopyOnWriteArrayList<>();
        reloading.addListener((previous, next) -> seenByLast.add(pollEvery(next)));

        fx.config(withPollEvery("7m"));

        assertThat(reloading.checkNow()).isTrue();
        assertThat(published).hasSize(1);
        assertThat(seenByLast).containsExactly(Duration.ofMinutes(7));
        assertThat(pollEvery(reloading.current())).isEqualTo(Duration.ofMinutes(7));
    }

    @Test
    void pollingFindsTheChangeByItself() throws Exception {
        start(withPollEvery("1m") + "operations:\n  reload-check-every: 100ms\n");
        CountDownLatch changed = new CountDownLatch(1);
        reloading.addListener((previous, next) -> changed.countDown());
        reloading.start();

        fx.config(withPollEvery("4m") + "operations:\n  reload-check-every: 100ms\n");

        assertThat(changed.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pollEvery(reloading.current())).isEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void closedPollerChecksNoMore() throws Exception {
        start(withPollEvery("1m"));
        reloading.start();
        reloading.close();

        fx.config(withPollEvery("2m"));

        assertThat(reloading.checkNow()).isFalse();
        assertThat(pollEvery(reloading.current())).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void withoutAFileTheDefaultsAreUsedAndNothingIsWatched() throws Exception {
        reloading = new ReloadingConfig(fx.loader, null);
        reloading.start();

        assertThat(reloading.current()).isEqualTo(fx.loader.defaults().config());
        assertThat(reloading.checkNow()).isFalse();
    }

    @Test
    void anInvalidFirstConfigurationIsAnError() {
        Path file = fx.config("server:\n  port: none\n");

        assertThatThrownBy(() -> new ReloadingConfig(fx.loader, file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.port");
    }
}
