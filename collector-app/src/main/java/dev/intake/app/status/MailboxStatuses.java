package dev.intake.app.status;

import dev.intake.app.idle.IdleLease;
import dev.intake.app.idle.IdleLeaseStore;
import dev.intake.app.reconcile.ReconciliationStore;
import dev.intake.app.store.AuthorizationInfo;
import dev.intake.app.store.AuthorizationStore;
import dev.intake.app.store.MailboxRecord;
import dev.intake.app.store.MailboxState;
import dev.intake.app.store.MailboxStore;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Builds {@link MailboxStatus}es from the configuration and what is stored. */
public final class MailboxStatuses {

    private final Supplier<IntakeConfig> config;
    private final MailboxStore mailboxes;
    private final AuthorizationStore authorizations;
    private final ReconciliationStore reconciliations;
    private final IdleLeaseStore idleLeases;
    private final Clock clock;

    public MailboxStatuses(Supplier<IntakeConfig> config, MailboxStore mailboxes, AuthorizationStore authorizations,
            ReconciliationStore reconciliations, IdleLeaseStore idleLeases, Clock clock) {
        this.config = config;
        this.mailboxes = mailboxes;
        this.authorizations = authorizations;
        this.reconciliations = reconciliations;
        this.idleLeases = idleLeases;
        this.clock = clock;
    }

    public List<MailboxStatus> all() {
        IntakeConfig cfg = config.get();
        Map<String, AuthorizationInfo> auths = authorizations.infos();
        Map<String, Integer> unrecorded = reconciliations.unrecordedCounts();
        Map<String, IdleLease> leases = cfg.mailboxes().stream().anyMatch(MailboxConfig::idles) ? idleLeases.all() : Map.of();
        List<MailboxStatus> result = new ArrayList<>();
        for (MailboxConfig m : cfg.mailboxes()) {
            MailboxStatus s = status(m, mailboxes.find(m.id()), Optional.ofNullable(auths.get(m.id())),
                    cfg.operations().staleAfter(), unrecorded.getOrDefault(m.id(), 0), Optional.empty());
            Optional<IdleStatus> idle = m.idles()
                    ? Optional.of(IdleStatus.of(m, Optional.ofNullable(leases.get(m.id())), s.collected(), clock.instant()))
                    : Optional.empty();
            result.add(s.withIdle(idle));
        }
        return result;
    }

    public Optional<MailboxStatus> find(String id) {
        return all().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    private MailboxStatus status(MailboxConfig m, Optional<MailboxRecord> rec, Optional<AuthorizationInfo> auth,
            Duration staleAfter, int unrecorded, Optional<IdleStatus> idle) {
        MailboxState state = rec.map(MailboxRecord::state).orElse(MailboxState.NOT_AUTHORIZED);
        int failures = rec.map(MailboxRecord::consecutiveFailures).orElse(0);
        String display;
        if (state == MailboxState.NOT_AUTHORIZED) {
            display = "not authorized";
        } else if (state == MailboxState.NEEDS_REAUTHORIZATION) {
            display = "needs re-authorization";
        } else if (m.paused() || rec.map(MailboxRecord::pausedByAdmin).orElse(false)) {
            display = "paused";
        } else if (failures > 0) {
            display = "failing";
        } else {
            display = "active";
        }
        boolean paused = m.paused() || rec.map(MailboxRecord::pausedByAdmin).orElse(false);
        boolean collected = state == MailboxState.ACTIVE && !paused;
        Optional<Instant> lastSuccess = rec.flatMap(MailboxRecord::lastSuccessAt);
        Instant since = lastSuccess.or(() -> auth.map(AuthorizationInfo::authorizedAt)).orElse(clock.instant());
        boolean stale = collected && since.plus(staleAfter).isBefore(clock.instant());
        return new MailboxStatus(m.id(), m.provider(), m.address(), m.delegate(), display,
                auth.map(AuthorizationInfo::account), auth.map(AuthorizationInfo::authorizedAt),
                rec.flatMap(MailboxRecord::lastPollAt), lastSuccess, rec.flatMap(MailboxRecord::lastError),
                rec.flatMap(MailboxRecord::lastErrorAt), failures, stale, rec.flatMap(MailboxRecord::stateReason), unrecorded,
                m.appOnly(), rec.flatMap(MailboxRecord::lastTokenAt), collected, idle);
    }
}
