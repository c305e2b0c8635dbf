package dev.intake.config;

import static dev.intake.config.ConfigTestBed.ONE_PROVIDER;
import static dev.intake.config.ConfigTestBed.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code delivery} and a mailbox's {@code deliver-to}: every rule, each with the message an operator reads. */
class DeliveryConfigTest {

    /** A valid Standard Webhooks key: whsec_ and base64 of 32 bytes. */
    static final String WEBHOOK_KEY = "whsec_" + Base64.getEncoder().encodeToString(bytes(32, 7));

    @TempDir
    Path dir;
    ConfigTestBed fx;

    @BeforeEach
    void setUp() {
        fx = new ConfigTestBed(dir);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 17 + i);
        }
        return b;
    }

    /** One mailbox (with {@code mailboxExtra}) and the given {@code delivery} section. */
    private static String withDelivery(String delivery, String mailboxExtra) {
        return ONE_PROVIDER + """
                mailboxes:
                  - id: support
                    provider: entra
                    address: support@contoso.com
                """ + mailboxExtra.indent(4) + "delivery:\n" + delivery.indent(2);
    }

    private static String withDelivery(String delivery) {
        return withDelivery(delivery, "");
    }

    private static String webhook(String extra) {
        return """
                targets:
                  - name: hooks
                    type: webhook
                    url: https://hooks.example.com/intake
                    secret: %s
                """.formatted(WEBHOOK_KEY) + extra.indent(4);
    }

    // ---- defaults ----

    @Test
    void withoutDeliveryTicketsStayInIntakeAndMailboxesChooseEveryTarget() throws Exception {
        IntakeConfig c = fx.load(ONE_PROVIDER + """
                mailboxes:
                  - id: support
                    provider: entra
                    address: support@contoso.com
                """);

        assertThat(c.delivery()).isEqualTo(DeliveryConfig.none());
        assertThat(c.delivery().maxAttempts()).isEqualTo(10);
        assertThat(c.delivery().firstRetry()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.delivery().maxRetry()).isEqualTo(Duration.ofHours(1));
        assertThat(c.delivery().backlogWarning()).isEqualTo(Duration.ofHours(1));
        assertThat(c.mailbox("support").orElseThrow().deliverTo()).isEmpty();
    }

    @Test
    void retryScheduleAndBacklogWarningAreRead() throws Exception {
        DeliveryConfig d = fx.load(withDelivery("""
                max-attempts: 4
                first-retry: 10s
                max-retry: 2h
                backlog-warning: 30m
                """)).delivery();

        assertThat(d).isEqualTo(new DeliveryConfig(List.of(), 4, Duration.ofSeconds(10), Duration.ofHours(2),
                Duration.ofMinutes(30)));
    }

    @Test
    void retryScheduleThatCannotWorkIsRefused() {
        List<ConfigProblem> problems = fx.problems(withDelivery("""
                max-attempts: 0
                first-retry: 10m
                max-retry: 1m
                mx-retry: 1h
                """));

        assertProblem(problems, "delivery.max-attempts", "out of range", "1 to 1000");
        assertProblem(problems, "delivery.max-retry", "1m is shorter than first-retry (10m)", "at least 10m");
        assertProblem(problems, "delivery.mx-retry", "unknown key", "did you mean 'max-retry'?");
    }

    // ---- the three types ----

    @Test
    void glpiTargetIsReadWithItsTicketFields() throws Exception {
        fx.write("secrets/glpi-client-secret", "client-secret-value\n");
        fx.env.put("GLPI_PASSWORD", "glpi-password-value");
        DeliveryConfig d = fx.load(withDelivery("""
                targets:
                  - name: helpdesk
                    type: glpi
                    url: https://glpi.example.com/
                    client-id: intake-client
                    client-secret: ${file:secrets/glpi-client-secret}
                    username: intake-bot
                    password: ${env:GLPI_PASSWORD}
                    entity: 0
                    ticket-type: request
                    urgency: high
                    category: 12
                    request-type: 2
                    timeout: 45s
                """)).delivery();

        assertThat(d.targets()).containsExactly(new GlpiTargetConfig("helpdesk", URI.create("https://glpi.example.com"),
                "intake-client", Secret.of("client-secret-value"), "intake-bot", Secret.of("glpi-password-value"), "api",
                new GlpiTicketFields(Optional.of(0L), 2, 4, Optional.of(12L), Optional.of(2L)), Duration.ofSeconds(45)));
    }

    @Test
    void glpiTakesGlpiUtilsEnvironmentVariablesForKeysNotWritten() throws Exception {
        fx.env.put("GLPI_URL", "https://glpi.example.com");
        fx.env.put("GLPI_OAUTH_CLIENT_ID", "env-client");
        fx.env.put("GLPI_OAUTH_CLIENT_SECRET", "env-client-secret");
        fx.env.put("GLPI_OAUTH_USERNAME", "env-user");
        fx.env.put("GLPI_OAUTH_PASSWORD", "env-password");
        DeliveryConfig d = fx.load(withDelivery("""
                targets:
                  - name: helpdesk
                    type: glpi
                    username: written-user
                    urgency: 5
                """)).delivery();

        GlpiTargetConfig glpi = (GlpiTargetConfig) d.targets().get(0);
        assertThat(glpi.url()).isEqualTo(URI.create("https://glpi.example.com"));
        assertThat(glpi.clientId()).isEqualTo("env-client");
        assertThat(glpi.clientSecret()).isEqualTo(Secret.of("env-client-secret"));
        assertThat(glpi.username()).as("a written key wins over the environment").isEqualTo("written-user");
        assertThat(glpi.password()).isEqualTo(Secret.of("env-password"));
        assertThat(glpi.fields()).isEqualTo(new GlpiTicketFields(Optional.empty(), 1, 5, Optional.empty(),
                Optional.empty()));
        assertThat(glpi.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void glpiWithoutItsSecretsNamesEachKeyAndTheVariableThatCouldGiveIt() {
        List<ConfigProblem> problems = fx.problems(withDelivery("""
                targets:
                  - name: helpdesk
                    type: glpi
                    url: https://glpi.example.com
                    client-id: intake-client
                    username: intake-bot
                """));

        assertProblem(problems, "delivery.targets[0].client-secret", "missing", "GLPI_OAUTH_CLIENT_SECRET");
        assertProblem(problems, "delivery.targets[0].password", "missing", "GLPI_OAUTH_PASSWORD");
        assertThat(problems).hasSize(2);
    }

    @Test
    void glpiUrlIsHttpsUnlessLocalAndIsTheRootNotTheApiScript() throws Exception {
        List<ConfigProblem> problems = fx.problems(withDelivery("""
                targets:
                  - name: one
                    type: glpi
                    url: http://glpi.example.com
                    client-id: c
                    client-secret: s
                    username: u
                    password: p
                  - name: two
                    type: glpi-legacy
                    url: https://glpi.example.com/apirest.php
                    user-token: t
                  - name: three
                    type: glpi
                    url: https://glpi.example.com/?x=1
                    client-id: c
                    client-secret: s
                    username: u
                    password: p
                  - name: four
                    type: glpi
                    url: https://glpi.example.com/glpi/api.php/v2.0
                    client-id: c
                    client-secret: s
                    username: u
                    password: p
                """));

        assertProblem(problems, "delivery.targets[0].url", "must use https", "localhost");
        assertProblem(problems, "delivery.targets[1].url", "without /apirest.php");
        assertProblem(problems, "delivery.targets[2].url", "must not have a query");
        assertProblem(problems, "delivery.targets[3].url", "without /api.php");

        DeliveryConfig local = fx.load(withDelivery("""
                targets:
                  - name: local
                    type: glpi-legacy
                    url: http://localhost:8088/glpi
                    app-token: a
                    username: glpi
                    password: glpi
                """)).delivery();
        assertThat(local.targets().get(0).name()).isEqualTo("local");
        assertThat(((GlpiLegacyTargetConfig) local.targets().get(0)).url()).isEqualTo(URI.create("http://localhost:8088/glpi"));
    }

    @Test
    void glpiLegacyOpensItsSessionFromAUserTokenOrALoginNotBoth() throws Exception {
        GlpiLegacyTargetConfig legacy = (GlpiLegacyTargetConfig) fx.load(withDelivery("""
                targets:
                  - name: old-glpi
                    type: glpi-legacy
                    url: https://glpi.example.com
                    app-token: app-token-value
                    user-token: user-token-value
                    ticket-type: incident
                    urgency: very-low
                """)).delivery().targets().get(0);
        assertThat(legacy).isEqualTo(new GlpiLegacyTargetConfig("old-glpi", URI.create("https://glpi.example.com"),
                Optional.of(Secret.of("app-token-value")), Optional.of(Secret.of("user-token-value")), Optional.empty(),
                Optional.empty(), new GlpiTicketFields(Optional.empty(), 1, 1, Optional.empty(), Optional.empty()),
                Duration.ofSeconds(30)));

        List<ConfigProblem> problems = fx.problems(withDelivery("""
                targets:
                  - name: neither
                    type: glpi-legacy
                    url: https://glpi.example.com
                  - name: both
                    type: glpi-legacy
                    url: https://glpi.example.com
                    user-token: t
                    username: u
                    password: p
                  - name: half
                    type: glpi-legacy
                    url: https://glpi.example.com
                    username: u
                """));
        assertProblem(problems, "delivery.targets[0].user-token", "missing", "or username and password");
        assertProblem(problems, "delivery.targets[1].username", "user-token is set too");
        assertProblem(problems, "delivery.targets[2].password", "missing", "needs both username and password");
    }

    @Test
    void ticketFieldsOutOfGlpisRangesAreRefused() {
        List<ConfigProblem> problems = fx.problems(withDelivery("""
                targets:
                  - name: old-glpi
                    type: glpi-legacy
                    url: https://glpi.example.com
                    user-token: t
                    entity: -1
                    ticket-type: problem
                    urgency: 6
                    category: 0
                """));

        assertProblem(problems, "delivery.targets[0].entity", "out of range");
        assertProblem(problems, "delivery.targets[0].ticket-type", "'problem' is not one of: incident, request");
        assertProblem(problems, "delivery.targets[0].urgency", "'6' is not an urgency", "1 to 5", "very-high");
        assertProblem(problems, "delivery.targets[0].category", "out of range");
    }

    @Test
    void webhookTargetIsReadWithItsEvents() throws Exception {
        DeliveryConfig d = fx.load(withDelivery(webhook("events: [ticket.created, message.refused]\ntimeout: 15s")))
                .delivery();

        assertThat(d.targets()).containsExactly(new WebhookTargetConfig("hooks",
                URI.create("https://hooks.example.com/intake"), Secret.of(WEBHOOK_KEY),
                Set.of("ticket.created", "message.refused"), Duration.ofSeconds(15)));
        WebhookTargetConfig all = (WebhookTargetConfig) fx.load(withDelivery(webhook(""))).delivery().targets().get(0);
        assertThat(all.events()).as("absent: every event").containsExactlyInAnyOrderElementsOf(DeliveryReader.EVENTS);
    }

    @Test
    void webhookSecretMustBeAStandardWebhooksKeyAndIsNeverQuoted() {
        String shortKey = "whsec_" + Base64.getEncoder().encodeToString(bytes(16, 1));
        List<ConfigProblem> problems = fx.problems(withDelivery("""
                targets:
                  - name: a
                    type: webhook
                    url: https://hooks.example.com/a
                    secret: plain-password-value
                  - name: b
                    type: webhook
                    url: https://hooks.example.com/b
                    secret: whsec_not*base64!
                  - name: c
                    type: webhook
                    url: https://hooks.example.com/c
                    secret: %s
                  - name: d
                    type: webhook
                    url: https://hooks.example.com/d
                """.formatted(shortKey)));

        assertProblem(problems, "delivery.targets[0].secret", "must start with whsec_",
                "echo \"whsec_$(openssl rand -base64 32)\"");
        assertProblem(problems, "delivery.targets[1].secret", "not base64");
        assertProblem(problems, "delivery.targets[2].secret", "16 bytes", "24 to 64");
        assertProblem(problems, "delivery.targets[3].secret", "missing", "whsec_");
        assertThat(problems.toString()).doesNotContain("plain-password-value", "not*base64", shortKey.substring(6));
    }

    @Test
    void webhookEventsAreTheFourIntakeKnows() {
        List<ConfigProblem> problems = fx.problems(withDelivery(webhook("events: [ticket.created, ticket.create]")));
        assertProblem(problems, "delivery.targets[0].events[1]", "'ticket.create' is not an event",
                "did you mean 'ticket.created'?");

        problems = fx.problems(withDelivery(webhook("events: []")));
        assertProblem(problems, "delivery.targets[0].events", "lists no event", "remove events to send all");
    }

    @Test
    void webhookUrlIsHttpsUnlessLocal() throws Exception {
        List<ConfigProblem> problems = fx.problems(withDelivery("""
                targets:
                  - name: hooks
                    type: webhook
                    url: http://hooks.example.com/intake
                    secret: %s
                """.formatted(WEBHOOK_KEY)));
        assertProblem(problems, "delivery.targets[0].url", "must use https");

        WebhookTargetConfig local = (WebhookTargetConfig) fx.load(withDelivery("""
                targets:
                  - name: hooks
                    type: webhook
                    url: http://127.0.0.1:9000/hook
                    secret: %s
                """.formatted(WEBHOOK_KEY))).delivery().targets().get(0);
        assertThat(local.url()).isEqualTo(URI.create("http://127.0.0.1:9000/hook"));
    }

    // ---- names, types and keys ----

    @Test
    void targetsHaveUniqueUsableNamesAndAKnownType() {
        List<ConfigProblem> problems = fx.problems(withDelivery("""
                targets:
                  - name: Help_Desk
                    type: webhook
                    url: https://hooks.example.com/a
                    secret: %1$s
                  - name: hooks
                    type: webhook
                    url: https://hooks.example.com/b
                    secret: %1$s
                  - name: hooks
                    type: webhook
                    url: https://hooks.example.com/c
                    secret: %1$s
                  - name: other
                    type: webhok
                  - name: untyped
                """.formatted(WEBHOOK_KEY)));

        assertProblem(problems, "delivery.targets[0].name", "'Help_Desk' is not a usable target name");
        assertProblem(problems, "delivery.targets[2].name", "'hooks' is already the name of delivery.targets[1]");
        assertProblem(problems, "delivery.targets[3].type", "'webhok' is not a target type", "did you mean 'webhook'?");
        assertProblem(problems, "delivery.targets[4].type", "missing", "glpi, glpi-legacy, webhook");
    }

    @Test
    void keyOfAnotherTypeIsNamedAsSuchAndATypoGetsASuggestion() {
        List<ConfigProblem> problems = fx.problems(withDelivery(webhook("client-id: x\nevnts: [ticket.created]")));

        assertProblem(problems, "delivery.targets[0].client-id", "applies to glpi targets only", "this one is webhook");
        assertProblem(problems, "delivery.targets[0].evnts", "unknown key 'evnts'", "did you mean 'events'?");
    }

    @Test
    void timeoutHasBounds() {
        List<ConfigProblem> problems = fx.problems(withDelivery(webhook("timeout: 1h")));
        assertProblem(problems, "delivery.targets[0].timeout", "too long", "at most 10m");
    }

    // ---- deliver-to ----

    @Test
    void mailboxChoosesItsTargetsByNameOrNone() throws Exception {
        String targets = webhook("") + """
                  - name: helpdesk
                    type: glpi-legacy
                    url: https://glpi.example.com
                    user-token: t
                """;
        assertThat(fx.load(withDelivery(targets, "deliver-to: [helpdesk]")).mailbox("support").orElseThrow().deliverTo())
                .contains(List.of("helpdesk"));
        MailboxConfig none = fx.load(withDelivery(targets, "deliver-to: []")).mailbox("support").orElseThrow();
        assertThat(none.deliverTo()).contains(List.of());
        assertThat(none.deliversTo("hooks")).isFalse();
        MailboxConfig all = fx.load(withDelivery(targets, "")).mailbox("support").orElseThrow();
        assertThat(all.deliversTo("hooks")).isTrue();
        assertThat(all.deliversTo("helpdesk")).isTrue();
    }

    @Test
    void unknownTargetInDeliverToGetsASuggestion() {
        List<ConfigProblem> problems = fx.problems(withDelivery(webhook(""), "deliver-to: [hook]"));
        assertProblem(problems, "mailboxes[0].deliver-to[0]", "'hook' is not a delivery target (hooks)",
                "did you mean 'hooks'?");

        problems = fx.problems(ONE_PROVIDER + """
                mailboxes:
                  - id: support
                    provider: entra
                    address: support@contoso.com
                    deliver-to: [helpdesk]
                """);
        assertProblem(problems, "mailboxes[0].deliver-to[0]", "none is configured", "delivery.targets");
    }

    // ---- secrets ----

    @Test
    void rotatedSecretFileGivesANewUnequalTargetOnReload() throws Exception {
        fx.write("secrets/webhook", WEBHOOK_KEY + "\n");
        String yaml = withDelivery("""
                targets:
                  - name: hooks
                    type: webhook
                    url: https://hooks.example.com/intake
                    secret: ${file:secrets/webhook}
                """);
        try (ReloadingConfig reloading = new ReloadingConfig(fx.loader, fx.config(yaml))) {
            DeliveryTargetConfig before = reloading.current().delivery().targets().get(0);

            String rotated = "whsec_" + Base64.getEncoder().encodeToString(bytes(32, 9));
            fx.write("secrets/webhook", rotated + "\n");
            assertThat(reloading.checkNow()).as("a changed secret file is a change").isTrue();

            DeliveryTargetConfig after = reloading.current().delivery().targets().get(0);
            assertThat(after).isNotEqualTo(before);
            assertThat(((WebhookTargetConfig) after).secret()).isEqualTo(Secret.of(rotated));
        }
    }

    @Test
    void summaryListsTargetsWithoutAnySecret() throws Exception {
        fx.env.put("GLPI_OAUTH_CLIENT_SECRET", "env-client-secret");
        String yaml = withDelivery(webhook("events: [ticket.created]") + """
                  - name: helpdesk
                    type: glpi
                    url: https://glpi.example.com
                    client-id: intake-client
                    username: intake-bot
                    password: glpi-password-value
                  - name: old-glpi
                    type: glpi-legacy
                    url: https://old.example.com
                    app-token: app-token-value
                    user-token: user-token-value
                """, "deliver-to: [helpdesk, hooks]");

        String summary = ConfigSummary.describe(fx.load(yaml));

        assertThat(summary)
                .contains("delivers to helpdesk, hooks")
                .contains("delivery: up to 10 attempts, retry after 30s doubling up to 1h, backlog warning after 1h")
                .contains("hooks: webhook https://hooks.example.com/intake, signing secret set, events ticket.created")
                .contains("helpdesk: GLPI high-level API at https://glpi.example.com, client id intake-client,"
                        + " client secret set, user intake-bot, password set, scope api")
                .contains("old-glpi: GLPI legacy REST API at https://old.example.com, app token set, user token set");
        assertThat(summary).doesNotContain(WEBHOOK_KEY, WEBHOOK_KEY.substring(6), "env-client-secret",
                "glpi-password-value", "app-token-value", "user-token-value");
    }
}
