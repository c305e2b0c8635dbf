package dev.intake.config;

import static dev.intake.config.ConfigTestBed.ONE_PROVIDER;
import static dev.intake.config.ConfigTestBed.assertProblem;
import static dev.intake.config.ConfigTestBed.key32;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidationTest {

    @TempDir
    Path dir;
    ConfigTestBed fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigTestBed(dir);
    }

    private static String mailbox(String extra) {
        return ONE_PROVIDER + """
                mailboxes:
                  - id: support
                    provider: entra
                    address: support@contoso.com
                """ + extra.indent(4);
    }

    // ---- gathering ----

    @Test
    void everyProblemIsReportedInOneRunEachOnItsOwnLine() {
        String yaml = """
                server:
                  port: 70000
                  public-url: ftp://intake.example.com
                providers:
                  entra:
                    client-id: app
                    client-secret: s
                mailboxes:
                  - id: Support!
                    provider: entr
                    address: not-an-address
                    poll-every: soon
                    max-per-run: 0
                    max-message-size: huge
                tickets:
                  tag: "[#]"
                """;

        ConfigException e = fx.failure(yaml);

        List<ConfigProblem> problems = e.problems();
        assertProblem(problems, "server.port", "'70000' is out of range", "from 1 to 65535", "(line 2)");
        assertProblem(problems, "server.public-url", "must use http or https");
        assertProblem(problems, "providers.entra.tenant", "missing", "(line 6)");
        assertProblem(problems, "mailboxes[0].id", "'Support!' is not a usable id");
        assertProblem(problems, "mailboxes[0].provider", "'entr' is not a configured provider (entra)",
                "did you mean 'entra'?");
        assertProblem(problems, "mailboxes[0].address", "'not-an-address' is not an email address");
        assertProblem(problems, "mailboxes[0].poll-every", "'soon' is not a duration", "5m");
        assertProblem(problems, "mailboxes[0].max-per-run", "out of range", "1 to 10000");
        assertProblem(problems, "mailboxes[0].max-message-size", "'huge' is not a size", "25MB");
        assertProblem(problems, "tickets.tag", "must contain {number}");
        assertThat(problems).hasSize(10);
        assertThat(e.getMessage().split("\n")).hasSize(10).contains(problems.get(0).toString());
    }

    @Test
    void providerThatIsNotConfiguredListsTheConfiguredOnes() {
        String yaml = ONE_PROVIDER + """
                  google:
                    client-id: g
                    client-secret: s
                mailboxes:
                  - id: a
                    provider: entra
                    address: a@contoso.com
                  - id: b
                    provider: google
                    address: b@example.com
                  - id: c
                    provider: okta
                    address: c@example.com
                """;

        assertThat(fx.problems(yaml)).extracting(ConfigProblem::toString)
                .containsExactly("mailboxes[2].provider: 'okta' is not a configured provider (entra, google) (line 17)");
    }

    // ---- unknown keys ----

    @Test
    void unknownKeysAnywhereAreProblemsWithASuggestionWhenClose() {
        String yaml = mailbox("poll-evry: 5m\npollEvery: 1m\nfoo: bar\n") + """
                servr:
                  port: 1
                operations:
                  reload_check_every: 1s
                """;

        List<ConfigProblem> problems = fx.problems(yaml);

        assertProblem(problems, "mailboxes[0].poll-evry", "unknown key 'poll-evry'; did you mean 'poll-every'?");
        assertProblem(problems, "mailboxes[0].pollEvery", "did you mean 'poll-every'?");
        assertProblem(problems, "mailboxes[0].foo", "unknown key 'foo'; the keys here are: id, provider, address");
        assertProblem(problems, "servr", "did you mean 'server'?");
        assertProblem(problems, "operations.reload_check_every", "did you mean 'reload-check-every'?");
    }

    @Test
    void keyOfTheOtherProviderTypeIsAProblem() {
        String yaml = """
                providers:
                  google:
                    client-id: g
                    client-secret: s
                    tenant: contoso.onmicrosoft.com
                """;

        assertThat(fx.problems(yaml)).extracting(ConfigProblem::toString).containsExactly(
                "providers.google.tenant: applies to entra providers only, and this one is google; remove it (line 5)");
    }

    @Test
    void unknownProviderKeysAreSuggestedFromTheKeysOfItsType() {
        String yaml = """
                providers:
                  google:
                    client-id: g
                    client-secret: s
                    token_uri: https://oauth2.example.com/token
                    tenat: contoso.onmicrosoft.com
                  corp:
                    type: okta
                    tenat: contoso.onmicrosoft.com
                """;

        List<ConfigProblem> problems = fx.problems(yaml);

        assertProblem(problems, "providers.google.token_uri", "unknown key 'token_uri'; did you mean 'token-uri'?");
        assertProblem(problems, "providers.google.tenat", "the keys here are: type, auth, client-id, client-secret,"
                + " client-secret-next, client-secret-expires, auth-uri, token-uri, imap-host, imap-port, imap-security");
        assertProblem(problems, "providers.corp.tenat", "did you mean 'tenant'?");
    }

    // ---- types and formats ----

    @Test
    void wrongTypesSayWhatWasExpected() {
        String yaml = mailbox("paused: maybe\nblocked-senders: spam.example\n") + """
                server: 8080
                database:
                  pool-size: 1.5
                tickets:
                  tag: [number]
                """;

        List<ConfigProblem> problems = fx.problems(yaml);

        assertProblem(problems, "server", "expected a mapping", "found a number");
        assertProblem(problems, "database.pool-size", "'1.5' is not a whole number");
        assertProblem(problems, "mailboxes[0].paused", "'maybe' is not a boolean; write true or false");
        assertProblem(problems, "mailboxes[0].blocked-senders", "expected a list", "found text");
        assertProblem(problems, "tickets.tag", "found a list", "quote values that start with [");
    }

    @Test
    void yamlSyntaxErrorNamesLineAndColumnButNotTheLine() {
        String yaml = """
                server:
                  port: 8080
                database:
                  password: hunter2: oops
                """;

        List<ConfigProblem> problems = fx.problems(yaml);

        assertThat(problems).hasSize(1);
        assertProblem(problems, "collector.yaml", "line 4, column 20", "this value holds ': ' and needs quotes");
        assertThat(problems.toString()).doesNotContain("hunter2");
    }

    @Test
    void unquotedTagIsASyntaxErrorThatPointsAtItsLineAndAtQuoting() {
        List<ConfigProblem> problems = fx.problems("tickets:\n  tag: [#{number}]\nserver:\n  port: 1\n");

        assertProblem(problems, "collector.yaml", "line 2 (noticed on line 4)", "put the value in quotes");
    }

    @Test
    void badIndentationIsASyntaxErrorWithItsLine() {
        assertProblem(fx.problems("server:\n  port: 1\n bind: x\n"), "collector.yaml", "line 3", "indented differently");
    }

    @Test
    void tabsAreExplained() {
        assertProblem(fx.problems("server:\n\tport: 1\n"), "collector.yaml", "line 2", "never tabs");
    }

    @Test
    void repeatedKeysAndAliasesAreProblems() {
        String yaml = """
                server:
                  port: 8080
                  port: 9090
                database:
                  url: &u jdbc:h2:mem:x
                  user: *u
                """;

        List<ConfigProblem> problems = fx.problems(yaml);

        assertProblem(problems, "server.port", "appears twice (first on line 2)", "(line 3)");
        assertProblem(problems, "database.user", "aliases (*u) are not supported");
    }

    @Test
    void aFileThatIsAListOrTwoDocumentsIsAProblem() {
        assertProblem(fx.problems("- a\n- b\n"), "collector.yaml", "must be a mapping of sections");
        assertProblem(fx.problems("server: {}\n---\nserver: {}\n"), "collector.yaml", "second YAML document");
    }

    @Test
    void missingOrUnreadableConfigFileIsAProblem() {
        Path nowhere = dir.resolve("absent.yaml");

        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                ConfigException.class, () -> fx.loader.load(nowhere));

        assertProblem(e.problems(), "absent.yaml", "does not exist", "collector.example.yaml");
    }

    @Test
    void numbersOutOfRangeSaySo() {
        assertProblem(fx.problems("server:\n  port: 99999999999\n"), "server.port", "is out of range");
        assertProblem(fx.problems("server:\n  port: 0\n"), "server.port", "is out of range", "from 1 to 65535");
    }

    @Test
    void durationsHaveMinimums() {
        List<ConfigProblem> problems = fx.problems(mailbox("poll-every: 500ms\ninitial-sync: soon\n")
                + "operations:\n  reload-check-every: 10ms\n  stale-after: 60\n  history-retention: 12h\n");

        assertProblem(problems, "mailboxes[0].poll-every", "'500ms' is too short; write at least 1s");
        assertProblem(problems, "mailboxes[0].initial-sync", "'soon' is not one of: new, unread, all");
        assertProblem(problems, "operations.reload-check-every", "too short", "100ms");
        assertProblem(problems, "operations.stale-after", "'60' is not a duration");
        assertProblem(problems, "operations.history-retention", "'12h' is too short; write at least 1d");
    }

    @Test
    void idleIsChosenPerMailboxAndItsSettingsAreChecked() throws Exception {
        MailboxConfig polled = fx.load(mailbox("")).mailboxes().get(0);
        assertThat(polled.mode()).isEqualTo(CollectionMode.POLL);
        assertThat(polled.scheduledEvery()).isEqualTo(polled.pollEvery());

        MailboxConfig idling = fx.load(mailbox("mode: idle\nidle-reissue-every: 20m\n")).mailboxes().get(0);
        assertThat(idling.idles()).isTrue();
        assertThat(idling.idle().reissueEvery()).hasMinutes(20);
        assertThat(idling.scheduledEvery()).isEqualTo(Defaults.IDLE_SAFETY_POLL_EVERY);

        assertProblem(fx.problems(mailbox("mode: push\n")), "mailboxes[0].mode", "'push' is not one of: poll, idle");
        assertProblem(fx.problems(mailbox("mode: idle\nidle-reissue-every: 45m\n")), "mailboxes[0].idle-reissue-every",
                "too long", "about 29-30 minutes", "29m or less");
        assertProblem(fx.problems(mailbox("idle-safety-poll-every: 1h\n")), "mailboxes[0].idle-safety-poll-every",
                "applies only to mode: idle", "add mode: idle");
    }

    @Test
    void urlsAreChecked() {
        String yaml = """
                server:
                  public-url: https://intake.example.com/?x=1
                providers:
                  entra:
                    tenant: contoso.onmicrosoft.com
                    client-id: a
                    client-secret: s
                    authority: http://login.example.com/
                  corp:
                    type: entra
                    tenant: corp.example
                    client-id: a
                    client-secret: s
                    authority: https://login.example.com
                  google:
                    client-id: g
                    client-secret: s
                    token-uri: not a url
                    auth-uri: /relative
                """;

        List<ConfigProblem> problems = fx.problems(yaml);

        // The URL getters a provider's kind reads its keys with; provider-entra and provider-google test their keys.
        assertProblem(problems, "server.public-url", "must not have a query");
        assertProblem(problems, "providers.entra.authority", "must use https (plain http is refused)");
        assertProblem(problems, "providers.corp.authority", "must end with '/'");
        assertProblem(problems, "providers.google.token-uri", "is not a URL");
        assertProblem(problems, "providers.google.auth-uri", "is not a full URL with a host");
    }

    @Test
    void requiredValueThatResolvesToNothingIsAProblem() {
        String yaml = ONE_PROVIDER + """
                mailboxes:
                  - id: support
                    provider: entra
                    address: ${env:SUPPORT_ADDRESS:-}
                """;

        assertProblem(fx.problems(yaml), "mailboxes[0].address", "is empty (from ${env:SUPPORT_ADDRESS:-...})");
    }

    @Test
    void emailAddressesAreChecked() {
        List<ConfigProblem> problems = fx.problems(mailbox("delegate: Alice <alice@contoso.com>\n"));

        assertProblem(problems, "mailboxes[0].delegate", "is not an email address", "without a display name");
    }

    @Test
    void duplicateMailboxIdsAndMissingRequiredKeys() {
        String yaml = ONE_PROVIDER + """
                mailboxes:
                  - id: support
                    provider: entra
                    address: support@contoso.com
                  - id: support
                    provider: entra
                    address: other@contoso.com
                  - provider: entra
                  - just text
                """;

        List<ConfigProblem> problems = fx.problems(yaml);

        assertProblem(problems, "mailboxes[1].id", "'support' is already the id of mailboxes[0]");
        assertProblem(problems, "mailboxes[2].id", "missing; give the mailbox a short id");
        assertProblem(problems, "mailboxes[2].address", "missing");
        assertProblem(problems, "mailboxes[3]", "expected a mapping", "found text");
    }

    @Test
    void providerNeedsItsRequiredKeysAndATypeWhenTheNameIsNotOne() {
        String yaml = """
                providers:
                  corp:
                    client-id: a
                  google: {}
                """;

        List<ConfigProblem> problems = fx.problems(yaml);

        assertProblem(problems, "providers.corp.type", "missing", "type: entra or type: google");
        assertProblem(problems, "providers.corp.client-secret", "missing", "${env:CORP_CLIENT_SECRET}");
        assertProblem(problems, "providers.google.client-id", "missing");
        assertProblem(problems, "providers.google.client-secret", "missing");
    }

    @Test
    void providerTypeMustBeKnownAndDatesParse() {
        String yaml = """
                providers:
                  corp:
                    type: okta
                    client-id: a
                    client-secret: s
                  google:
                    client-id: a
                    client-secret: s
                    client-secret-expires: 31.01.2027
                    imap-security: ssl
                """;

        List<ConfigProblem> problems = fx.problems(yaml);

        assertProblem(problems, "providers.corp.type", "'okta' is not a provider type; write entra or google");
        assertProblem(problems, "providers.google.client-secret-expires", "not a date; write YYYY-MM-DD");
        assertProblem(problems, "providers.google.imap-security", "'ssl' is not one of: tls, starttls");
    }

    @Test
    void moveNeedsAnAcceptedFolderAndFoldersDifferFromTheCollectedOne() {
        List<ConfigProblem> problems = fx.problems(mailbox("post-action: move\nrefused-folder: inbox\n"));

        assertProblem(problems, "mailboxes[0].post-action", "move needs accepted-folder");
        assertProblem(problems, "mailboxes[0].refused-folder", "is the collected folder itself");
    }

    @Test
    void blockedSendersMustBeAddressPatterns() {
        List<ConfigProblem> problems = fx.problems(mailbox("blocked-senders: [\"*@ok.example\", spam.example]\n"));

        assertProblem(problems, "mailboxes[0].blocked-senders[1]", "'spam.example' is not an address pattern",
                "write *@spam.example");
    }

    // ---- encryption ----

    @Test
    void activeKeyMustNameAKey() {
        String yaml = """
                encryption:
                  active-key: k3
                  keys:
                    k1: %s
                    k2: %s
                """.formatted(key32(1), key32(2));

        assertProblem(fx.problems(yaml), "encryption.active-key", "'k3' is not one of the keys (k1, k2)");
    }

    @Test
    void keysMustBeBase64Of32BytesAndTheMessageTellsHowToMakeOne() {
        String shortKey = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        String yaml = """
                encryption:
                  active-key: k1
                  keys:
                    k1: %s
                    k2: "not base64 at all!"
                    "bad id": %s
                """.formatted(shortKey, key32(1));

        List<ConfigProblem> problems = fx.problems(yaml);

        assertProblem(problems, "encryption.keys.k1", "not base64 of exactly 32 bytes",
                "head -c 32 /dev/urandom | base64");
        assertProblem(problems, "encryption.keys.k2", "not base64 of exactly 32 bytes");
        assertProblem(problems, "encryption.keys.bad id", "not a usable key id");
        assertThat(problems.toString()).doesNotContain(shortKey).doesNotContain("not base64 at all!");
    }

    @Test
    void keysWithoutActiveKeyAndActiveKeyWithoutKeysAreProblems() {
        assertProblem(fx.problems("encryption:\n  keys:\n    k1: " + key32(1) + "\n"),
                "encryption.active-key", "missing", "one of: k1");
        assertProblem(fx.problems("encryption:\n  active-key: k1\n"), "encryption.keys", "missing");
    }

    @Test
    void postgresqlNeedsSharedKeys() {
        assertProblem(fx.problems("database:\n  url: jdbc:postgresql://db/intake\n"),
                "encryption.keys", "every node needs the same keys");
    }

    @Test
    void configuredKeysAreLoadedInOrder() throws Exception {
        String yaml = """
                encryption:
                  active-key: k2
                  keys:
                    k2: %s
                    k1: %s
                """.formatted(key32(2), key32(1));

        EncryptionConfig enc = fx.load(yaml).encryption();

        assertThat(enc.isConfigured()).isTrue();
        assertThat(enc.activeKey()).contains("k2");
        assertThat(enc.keys().keySet()).containsExactly("k2", "k1");
        assertThat(enc.keys().get("k1").reveal()).isEqualTo(key32(1));
    }

    // ---- other sections ----

    @Test
    void anH2DatabaseMustBeALocalFileWhoseWriteDelayIntakeDecides() throws Exception {
        assertProblem(fx.problems("database:\n  url: jdbc:h2:mem:intake\n"), "database.url",
                "'jdbc:h2:mem:intake' is not an H2 file database", "jdbc:h2:file:./data/intake", "(line 2)");
        assertProblem(fx.problems("database:\n  url: jdbc:h2:tcp://db/intake;PASSWORD=hunter2\n"), "database.url",
                "is not an H2 file database", "PASSWORD=******");
        assertProblem(fx.problems("database:\n  url: jdbc:h2:file:./data/intake;write_delay=500\n"), "database.url",
                "WRITE_DELAY is set by Intake", "remove ;WRITE_DELAY=");

        assertThat(fx.load("database:\n  url: jdbc:h2:./db/tickets;MODE=PostgreSQL\n").database().url())
                .isEqualTo("jdbc:h2:./db/tickets;MODE=PostgreSQL");
        assertThat(fx.load("database:\n  url: jdbc:h2:async:/var/lib/intake/db\n").database().isH2()).isTrue();
    }

    @Test
    void unsupportedDatabaseUrlIsShownWithoutItsPassword() {
        List<ConfigProblem> problems = fx.problems("database:\n  url: jdbc:mysql://db/intake?user=a&password=hunter2\n");

        assertProblem(problems, "database.url", "is not a database Intake supports", "password=******");
        assertThat(problems.toString()).doesNotContain("hunter2");
    }

    @Test
    void tagMustContainNumberExactlyOnce() {
        assertProblem(fx.problems("tickets:\n  tag: \"{number}-{number}\"\n"), "tickets.tag", "exactly once");
    }

    @Test
    void adminsNeedABcryptHashAndUniqueNames() {
        String hash = "$2b$12$" + "a".repeat(53);
        String yaml = """
                admins:
                  - username: alice
                    password-hash: "%s"
                  - username: alice
                    password-hash: clear-text-password
                  - password-hash: "%s"
                """.formatted(hash, hash);

        List<ConfigProblem> problems = fx.problems(yaml);

        assertProblem(problems, "admins[1].username", "listed twice");
        assertProblem(problems, "admins[1].password-hash", "is not a bcrypt hash", "htpasswd");
        assertProblem(problems, "admins[2].username", "missing");
        assertThat(problems.toString()).doesNotContain("clear-text-password");
        assertThat(problems).hasSize(3);
    }

    @Test
    void apiClientsAreCheckedWithTheFixForEachMistake() {
        fx.write("short-secret", "too-short\n");
        String yaml = """
                api:
                  token-lifetime: 3d
                  trusted-proxies: [proxy.internal]
                  clients:
                    - client-id: helpdesk-client
                      secret: ${file:short-secret}
                      grants: [password]
                      scopes: [tickets]
                      allowed-ips: [intranet]
                    - client-id: helpdesk-client
                      secret: ${file:short-secret}
                      grants: [authorization_code]
                      scopes: [status]
                """;

        List<ConfigProblem> problems = fx.problems(yaml);

        assertProblem(problems, "api.token-lifetime", "at most 24h");
        assertProblem(problems, "api.trusted-proxies[0]", "not an IP address or CIDR range");
        assertProblem(problems, "api.clients[0].secret", "32 to 72 characters", "openssl rand");
        assertProblem(problems, "api.clients[0].grants[0]", "unknown grant 'password'", "no password grant");
        assertProblem(problems, "api.clients[0].scopes[0]", "unknown scope 'tickets'", "tickets:read");
        assertProblem(problems, "api.clients[0].allowed-ips[0]", "CIDR");
        assertProblem(problems, "api.clients[1].client-id", "listed twice");
        assertProblem(problems, "api.clients[1].redirect-uris", "authorization_code grant needs");
        assertThat(problems.toString()).doesNotContain("too-short");
    }

    @Test
    void apiAddressesAndRedirectUrisFollowTheRulesTheAppAppliesToThem() {
        fx.write("secret", "s".repeat(40) + "\n");
        String yaml = """
                api:
                  trusted-proxies: [10.0.0, 10.0.0.0/33, beef, "10.0.0.0/24", "2001:db8::/32"]
                  clients:
                    - client-id: helpdesk-client
                      secret: ${file:secret}
                      grants: [authorization_code]
                      scopes: [status]
                      allowed-ips: ["192.0.2.7/", "192.0.2.0/24"]
                      redirect-uris: ["http://localhost.evil.example/cb", "https://app.example/cb#x",
                                      "https://*.example/cb", "https://app.example/cb", "http://127.0.0.1:8400/cb"]
                """;

        List<ConfigProblem> problems = fx.problems(yaml);

        assertProblem(problems, "api.trusted-proxies[0]", "not an IP address or CIDR range");
        assertProblem(problems, "api.trusted-proxies[1]", "not an IP address or CIDR range");
        assertProblem(problems, "api.trusted-proxies[2]", "not an IP address or CIDR range");
        assertProblem(problems, "api.clients[0].allowed-ips[0]", "CIDR");
        assertProblem(problems, "api.clients[0].redirect-uris[0]", "http only for localhost");
        assertProblem(problems, "api.clients[0].redirect-uris[1]", "without a fragment");
        assertProblem(problems, "api.clients[0].redirect-uris[2]", "wildcard");
        assertThat(problems).hasSize(7);
    }

    @Test
    void truststoreMustExistAndThePasswordNeedsAStore() {
        List<ConfigProblem> problems = fx.problems("tls:\n  truststore: certs/none.p12\n");
        assertProblem(problems, "tls.truststore", dir.resolve("certs/none.p12") + " does not exist");

        assertProblem(fx.problems("tls:\n  truststore-password: x\n"), "tls.truststore-password",
                "tls.truststore is not");
    }

    @Test
    void truststoreThatIsNotAKeyStoreIsAProblem() {
        fx.write("certs/trust.p12", "this is not a key store");

        assertProblem(fx.problems("tls:\n  truststore: certs/trust.p12\n  truststore-password: changeit\n"),
                "tls.truststore", "cannot be opened as a PKCS12 or JKS trust store");
    }

    // ---- values and defaults ----

    @Test
    void emptyFileGivesTheDefaults() throws Exception {
        IntakeConfig config = fx.load("");

        assertThat(config).isEqualTo(fx.loader.defaults().config());
        assertThat(config.server().bind()).isEqualTo("127.0.0.1");
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().publicUrl()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(config.database().url()).isEqualTo("jdbc:h2:file:./data/intake");
        assertThat(config.database().poolSize()).isEqualTo(10);
        assertThat(config.encryption().isConfigured()).isFalse();
        assertThat(config.encryption().localKeyFile()).isEqualTo(Path.of("./data/intake.key"));
        assertThat(config.tls()).isEqualTo(TlsConfig.systemDefault());
        assertThat(config.providers()).isEmpty();
        assertThat(config.mailboxes()).isEmpty();
        assertThat(config.tickets().tag()).isEqualTo("[#{number}]");
        assertThat(config.operations()).isEqualTo(new OperationsConfig(
                Duration.ofHours(1), 4, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofDays(7),
                Duration.ofDays(30)));
        assertThat(config.admins()).isEmpty();
    }

    @Test
    void fileWithOnlyCommentsOrEmptySectionsGivesTheDefaults() throws Exception {
        assertThat(fx.load("# nothing yet\n")).isEqualTo(fx.loader.defaults().config());
        assertThat(fx.load("server:\ndatabase:\n")).isEqualTo(fx.loader.defaults().config());
    }

    @Test
    void noFileAtAllGivesTheDefaultsAndNoSources() {
        LoadedConfig defaults = fx.loader.defaults();

        assertThat(defaults.sources()).isEmpty();
        assertThat(defaults.config().mailboxes()).isEmpty();
    }

    @Test
    void mailboxDefaults() throws Exception {
        MailboxConfig m = fx.load(mailbox("")).mailbox("support").orElseThrow();

        assertThat(m.folder()).isEqualTo("INBOX");
        assertThat(m.delegate()).isEmpty();
        assertThat(m.postAction()).isEqualTo(PostAction.SEEN);
        assertThat(m.createFolders()).isTrue();
        assertThat(m.pollEvery()).isEqualTo(Duration.ofMinutes(1));
        assertThat(m.maxPerRun()).isEqualTo(200);
        assertThat(m.maxMessageSize()).isEqualTo(25L * 1024 * 1024);
        assertThat(m.maxAttachmentSize()).isEqualTo(25L * 1024 * 1024);
        assertThat(m.initialSync()).isEqualTo(new InitialSync.UnreadWithin(Duration.ofDays(7)));
        assertThat(m.paused()).isFalse();
        assertThat(m.useReplyTo()).isFalse();
        assertThat(m.dateSource()).isEqualTo(DateSource.MAIL);
        assertThat(m.blockedSenders()).isEmpty();
        assertThat(m.imapHost()).isEmpty();
        assertThat(m.imapPort()).isEmpty();
    }

    @Test
    void mailboxValuesAreRead() throws Exception {
        MailboxConfig m = fx.load(mailbox("""
                delegate: alice@contoso.com
                folder: Support
                accepted-folder: Intake/Accepted
                refused-folder: Intake/Refused
                create-folders: no
                poll-every: 30s
                max-per-run: 50
                max-message-size: 10MB
                max-attachment-size: 512KB
                initial-sync: unread
                paused: yes
                requester: reply-to
                date: collected
                blocked-senders: ["*@Spam.Example", "noreply@*"]
                imap-host: imap.example.com
                imap-port: 1993
                """)).mailboxes().get(0);

        assertThat(m.delegate()).contains("alice@contoso.com");
        assertThat(m.signInAccount()).isEqualTo("alice@contoso.com");
        assertThat(m.folder()).isEqualTo("Support");
        assertThat(m.acceptedFolder()).contains("Intake/Accepted");
        assertThat(m.refusedFolder()).contains("Intake/Refused");
        assertThat(m.postAction()).isEqualTo(PostAction.MOVE);
        assertThat(m.createFolders()).isFalse();
        assertThat(m.pollEvery()).isEqualTo(Duration.ofSeconds(30));
        assertThat(m.maxPerRun()).isEqualTo(50);
        assertThat(m.maxMessageSize()).isEqualTo(10L * 1024 * 1024);
        assertThat(m.maxAttachmentSize()).isEqualTo(512L * 1024);
        assertThat(m.initialSync()).isEqualTo(new InitialSync.Unread());
        assertThat(m.paused()).isTrue();
        assertThat(m.useReplyTo()).isTrue();
        assertThat(m.dateSource()).isEqualTo(DateSource.COLLECTED);
        assertThat(m.blockedSenders()).containsExactly("*@spam.example", "noreply@*");
        assertThat(m.imapHost()).contains("imap.example.com");
        assertThat(m.imapPort()).contains(1993);
    }

    @Test
    void providerDefaultsAndValues() throws Exception {
        String yaml = """
                providers:
                  google:
                    client-id: "0123"
                    client-secret: 0123
                    client-secret-next: ""
                  entra:
                    tenant: contoso.onmicrosoft.com
                    client-id: e
                    client-secret: s
                    client-secret-expires: 2027-01-31
                    imap-security: starttls
                    imap-port: 143
                  corp:
                    type: " Entra "
                    tenant: corp.example
                    client-id: c
                    client-secret: s
                """;

        IntakeConfig config = fx.load(yaml);

        // The kinds' own defaults (Entra's authority, Google's endpoints) are tested in their modules.
        assertThat(config.providers().keySet()).containsExactly("google", "entra", "corp");
        ProviderConfig google = config.provider("google").orElseThrow();
        assertThat(google.type()).isEqualTo("google");
        assertThat(google.clientSecret().reveal()).as("written as a number, kept as written").isEqualTo("0123");
        assertThat(google.clientSecretNext()).isEmpty();
        assertThat(google.settings()).isEqualTo(new TestProviderKinds.Settings(List.of()));
        assertThat(google.imapSecurity()).isEqualTo(ImapSecurity.TLS);
        ProviderConfig entra = config.provider("entra").orElseThrow();
        assertThat(entra.type()).isEqualTo("entra");
        assertThat(entra.settings(TestProviderKinds.Settings.class).summary())
                .containsExactly(new ProviderSettings.Fact("tenant", "contoso.onmicrosoft.com"));
        assertThat(entra.clientSecretExpires()).contains(LocalDate.of(2027, 1, 31));
        assertThat(entra.imapSecurity()).isEqualTo(ImapSecurity.STARTTLS);
        assertThat(entra.imapPort()).contains(143);
        assertThat(entra.imapHost()).isEmpty();
        assertThat(config.provider("corp").orElseThrow().type()).as("trimmed, any case").isEqualTo("entra");
    }

    @Test
    void postActionDefaultsToMoveWithAnAcceptedFolder() throws Exception {
        assertThat(fx.load(mailbox("accepted-folder: Done\n")).mailboxes().get(0).postAction())
                .isEqualTo(PostAction.MOVE);
        assertThat(fx.load(mailbox("initial-sync: 2d\n")).mailboxes().get(0).initialSync())
                .isEqualTo(new InitialSync.UnreadWithin(Duration.ofDays(2)));
    }

    @Test
    void keyFileIsRelativeToTheConfigFileAndDefaultsBesideTheH2File() throws Exception {
        assertThat(fx.load("encryption:\n  key-file: keys/local.key\n").encryption().localKeyFile())
                .isEqualTo(dir.resolve("keys/local.key"));
        assertThat(fx.load("database:\n  url: jdbc:h2:file:/var/lib/intake/db;MODE=PostgreSQL\n")
                .encryption().localKeyFile()).isEqualTo(Path.of("/var/lib/intake/intake.key"));
    }
}
