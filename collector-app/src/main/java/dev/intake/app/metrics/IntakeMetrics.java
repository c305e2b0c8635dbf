package dev.intake.app.metrics;

import dev.intake.app.collect.PollSummary;
import dev.intake.app.delivery.DeliveryObserver;
import dev.intake.app.delivery.TargetSummary;
import dev.intake.app.status.MailboxStatus;
import dev.intake.app.status.ProviderStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Intake's metrics in Prometheus format (Micrometer). Counters and timers are recorded as things happen; gauges
 * that describe stored state (mailbox states, last success, staleness, secret expiry) are read fresh at each scrape.
 */
public final class IntakeMetrics implements dev.intake.app.collect.PollObserver, dev.intake.app.oauth.TokenObserver,
        DeliveryObserver {

    private static final List<String> STATES = List.of("not authorized", "active", "needs re-authorization", "failing", "paused");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge mailboxState;
    private final MultiGauge lastSuccess;
    private final MultiGauge stale;
    private final MultiGauge secretExpiry;
    private final MultiGauge unrecorded;
    private final Supplier<List<MailboxStatus>> mailboxes;
    private final Supplier<List<ProviderStatus>> providers;
    private final MultiGauge deliveryBacklog;
    private final MultiGauge deliveryOldest;
    private final MultiGauge deliveryDead;
    private final Supplier<List<TargetSummary>> deliveryTargets;
    private final Clock clock;

    public IntakeMetrics(Supplier<List<MailboxStatus>> mailboxes, Supplier<List<ProviderStatus>> providers) {
        this(mailboxes, providers, List::of, Clock.systemUTC());
    }

    public IntakeMetrics(Supplier<List<MailboxStatus>> mailboxes, Supplier<List<ProviderStatus>> providers,
            Supplier<List<TargetSummary>> deliveryTargets, Clock clock) {
        this.clock = clock;
        this.mailboxes = mailboxes;
        this.providers = providers;
        this.deliveryTargets = deliveryTargets;
        this.deliveryBacklog = MultiGauge.builder("intake_delivery_backlog")
                .description("Items waiting to be delivered to each target (pending or being sent)").register(registry);
        this.deliveryOldest = MultiGauge.builder("intake_delivery_oldest_pending_seconds")
                .description("Age of each target's oldest undelivered item (0 when none waits)").register(registry);
        this.deliveryDead = MultiGauge.builder("intake_delivery_dead")
                .description("Items of each target in the dead-letter list, waiting for an admin's Retry or Skip")
                .register(registry);
        this.mailboxState = MultiGauge.builder("intake_mailbox_state")
                .description("1 for the state each mailbox is in (not authorized, active, needs re-authorization, failing, paused)")
                .register(registry);
        this.lastSuccess = MultiGauge.builder("intake_mailbox_last_success_timestamp_seconds")
                .description("When each mailbox was last collected successfully (Unix time)").register(registry);
        this.stale = MultiGauge.builder("intake_mailbox_stale")
                .description("1 when a mailbox that should be collected has had no successful poll for longer than operations.stale-after")
                .register(registry);
        this.secretExpiry = MultiGauge.builder("intake_provider_secret_expiry_days")
                .description("Days until each provider's client secret expires (client-secret-expires)").register(registry);
        this.unrecorded = MultiGauge.builder("intake_unrecorded_messages")
                .description("Messages the last reconciliation found in a mailbox's accepted or refused folder without a "
                        + "record of Intake handling them (may be missing from the helpdesk; re-import them)")
                .register(registry);
    }

    /** A finished run: its duration, outcome, and what became of its messages. */
    @Override
    public void finished(String mailboxId, Duration took, boolean ok, PollSummary summary) {
        Timer.builder("intake_polls").description("Collection runs and their duration")
                .tags("mailbox", mailboxId, "outcome", ok ? "ok" : "failed").register(registry).record(took);
        count(mailboxId, "ticket", "", summary.tickets());
        count(mailboxId, "followup", "", summary.followups());
        count(mailboxId, "duplicate", "", summary.duplicates());
        count(mailboxId, "failed", "", summary.failed());
        summary.refused().forEach((reason, n) -> count(mailboxId, "refused", reason.toLowerCase(Locale.ROOT), n));
    }

    private void count(String mailboxId, String outcome, String reason, int n) {
        if (n > 0) {
            Counter.builder("intake_messages").description("Collected messages by outcome (and refusal reason)")
                    .tags("mailbox", mailboxId, "outcome", outcome, "reason", reason).register(registry).increment(n);
        }
    }

    /** A token refresh at the provider: ok, reauthorize (invalid_grant), client (invalid_client), transient. */
    @Override
    public void refreshed(String mailboxId, String result) {
        Counter.builder("intake_token_refreshes").description("Access token refreshes at the provider by result")
                .tags("mailbox", mailboxId, "result", result).register(registry).increment();
    }

    /** One delivery attempt's outcome: delivered, retry, uncertain, rejected, unauthorized, dead or skipped. */
    @Override
    public void attempted(String target, String outcome) {
        Counter.builder("intake_deliveries").description("Delivery attempts to each target by outcome")
                .tags("target", target, "outcome", outcome).register(registry).increment();
    }

    /** The Prometheus text exposition, with the state gauges read now. */
    public String scrape() {
        List<MailboxStatus> all = mailboxes.get();
        mailboxState.register(all.stream().flatMap(m -> STATES.stream().map(s -> MultiGauge.Row.of(
                Tags.of("mailbox", m.id(), "state", s), s.equals(m.display()) ? 1 : 0))).toList(), true);
        lastSuccess.register(all.stream().filter(m -> m.lastSuccessAt().isPresent()).map(m -> MultiGauge.Row.of(
                Tags.of("mailbox", m.id()), m.lastSuccessAt().get().getEpochSecond())).toList(), true);
        stale.register(all.stream().map(m -> MultiGauge.Row.of(Tags.of("mailbox", m.id()), m.stale() ? 1 : 0)).toList(), true);
        unrecorded.register(all.stream().map(m -> MultiGauge.Row.of(Tags.of("mailbox", m.id()), m.unrecorded())).toList(), true);
        secretExpiry.register(providers.get().stream().filter(p -> p.daysLeft().isPresent()).map(p -> MultiGauge.Row.of(
                Tags.of("provider", p.name()), p.daysLeft().get())).toList(), true);
        List<TargetSummary> targets = deliveryTargets.get();
        Instant now = clock.instant();
        deliveryBacklog.register(targets.stream().map(t -> MultiGauge.Row.of(Tags.of("target", t.name()),
                t.backlog().waiting())).toList(), true);
        deliveryOldest.register(targets.stream().map(t -> MultiGauge.Row.of(Tags.of("target", t.name()),
                t.backlog().oldestWaiting().map(o -> Math.max(0, Duration.between(o, now).toSeconds())).orElse(0L)))
                .toList(), true);
        deliveryDead.register(targets.stream().map(t -> MultiGauge.Row.of(Tags.of("target", t.name()),
                t.backlog().dead())).toList(), true);
        return registry.scrape();
    }
}
