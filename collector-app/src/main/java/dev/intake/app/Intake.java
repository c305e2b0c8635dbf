package dev.intake.app;

import dev.intake.app.admin.AdminDirectory;
import dev.intake.app.admin.AdminSessions;
import dev.intake.app.admin.InitialAdmin;
import dev.intake.app.admin.Passwords;
import dev.intake.app.admin.SignIn;
import dev.intake.app.admin.SignInThrottle;
import dev.intake.app.collect.CollectionService;
import dev.intake.app.collect.FaultPoints;
import dev.intake.app.collect.MailboxCollector;
import dev.intake.app.collect.MailboxSessions;
import dev.intake.app.collect.MessageProcessor;
import dev.intake.app.collect.PollRunStore;
import dev.intake.app.collect.RefusedImports;
import dev.intake.app.collect.RunLocks;
import dev.intake.app.collect.TicketContents;
import dev.intake.app.crypto.KeyRings;
import dev.intake.app.crypto.SecretBox;
import dev.intake.app.imap.ImapConnector;
import dev.intake.app.imap.TlsTrust;
import dev.intake.app.mail.MailClassifier;
import dev.intake.app.mail.MailParser;
import dev.intake.app.metrics.IntakeMetrics;
import dev.intake.app.imap.ImapException;
import dev.intake.app.oauth.AuthorizationService;
import dev.intake.app.reconcile.ReconcileSchedule;
import dev.intake.app.reconcile.Reconciler;
import dev.intake.app.reconcile.Reconciliation;
import dev.intake.app.reconcile.ReconciliationStore;
import dev.intake.app.oauth.ProviderRegistry;
import dev.intake.app.oauth.TokenService;
import dev.intake.app.schedule.CollectionScheduler;
import dev.intake.app.status.Housekeeping;
import dev.intake.app.status.MailboxStatus;
import dev.intake.app.status.MailboxStatuses;
import dev.intake.app.status.ProviderStatus;
import dev.intake.app.status.ProviderStatuses;
import dev.intake.app.store.AuthorizationStore;
import dev.intake.app.store.Database;
import dev.intake.app.store.KeyRotation;
import dev.intake.app.store.KeyUsage;
import dev.intake.app.store.MailboxRecord;
import dev.intake.app.store.MailboxState;
import dev.intake.app.store.MailboxStore;
import dev.intake.app.store.OAuthStateStore;
import dev.intake.app.store.RunMarker;
import dev.intake.app.ticket.TicketQueries;
import dev.intake.app.ticket.TicketStore;
import dev.intake.app.web.AdminUi;
import dev.intake.app.web.MailboxControl;
import dev.intake.app.web.Readiness;
import dev.intake.app.web.WebServer;
import dev.intake.config.DatabaseConfig;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import dev.intake.config.PostAction;
import dev.intake.config.ReloadingConfig;
import dev.intake.config.TlsConfig;
import dev.intake.provider.IdentityProviders;
import dev.intake.provider.ProviderContext;
import dev.intake.provider.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running product, assembled in one place: configuration, database, encryption, providers, collection,
 * scheduling and HTTP. Nothing else in the app constructs these parts; tests start an {@code Intake} the way
 * {@code intake run} does.
 */
public final class Intake implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Intake.class);

    private final ReloadingConfig config;
    private final Database database;
    private final SecretBox box;
    private final MailboxStore mailboxes;
    private final AuthorizationStore authorizations;
    private final ProviderRegistry providers;
    private final TokenService tokens;
    private final AuthorizationService authorization;
    private final TicketStore tickets;
    private final TicketQueries ticketQueries;
    private final PollRunStore runs;
    private final CollectionService collection;
    private final CollectionScheduler scheduler;
    private final MailboxStatuses statuses;
    private final RefusedImports imports;
    private final IntakeMetrics metrics;
    private final ProviderStatuses providerStatuses;
    private final Reconciler reconciler;
    private Housekeeping housekeeping;
    private ReconcileSchedule reconcileSchedule;
    private RunMarker runMarker;
    private WebServer web;
    private final AtomicReference<Trust> trust = new AtomicReference<>();

    private Intake(ReloadingConfig config, Clock clock, boolean serve, FaultPoints faults) {
        this.config = config;
        IntakeConfig cfg = config.current();
        this.database = Database.open(withRoomForRuns(cfg));
        this.metrics = new IntakeMetrics(this::mailboxStatusesNow, this::providerStatusesNow);
        try {
            this.box = new SecretBox(KeyRings.fromConfig(cfg.encryption(), KeyUsage.storedKeyIds(database.jdbi())));
            this.mailboxes = new MailboxStore(database.jdbi(), clock);
            this.authorizations = new AuthorizationStore(database.jdbi(), box, clock);
            OAuthStateStore states = new OAuthStateStore(database.jdbi(), box, clock);
            this.providers = new ProviderRegistry(IdentityProviders.discover(), config::current,
                    () -> new ProviderContext(Optional.of(trust().tls.socketFactory()), clock));
            this.tokens = new TokenService(database.jdbi(), authorizations, mailboxes, providers, clock,
                    mailboxId -> syncSchedule(), metrics);
            this.providerStatuses = new ProviderStatuses(config::current, providers, clock);
            this.authorization = new AuthorizationService(config::current, providers, states, authorizations, tokens,
                    clock, mailboxId -> syncSchedule());
            this.tickets = new TicketStore(database.jdbi(), clock);
            this.ticketQueries = new TicketQueries(database.jdbi());
            this.runs = new PollRunStore(database.jdbi(), clock);
            MailParser parser = new MailParser();
            TicketContents contents = new TicketContents(tickets, clock);
            MessageProcessor processor = new MessageProcessor(tickets, parser, new MailClassifier(),
                    () -> config.current().tickets(), contents);
            this.imports = new RefusedImports(config::current, tickets, parser, contents);
            MailboxSessions sessions = new MailboxSessions(tokens, providers, () -> trust().imap);
            MailboxCollector collector = new MailboxCollector(sessions, tickets, database::makeCommitsDurable, processor,
                    clock, faults);
            this.scheduler = serve ? new CollectionScheduler(database, cfg.operations(), this::runScheduled) : null;
            this.collection = new CollectionService(config::current, mailboxes, collector, runs,
                    new RunLocks(database.jdbi()),
                    () -> scheduler == null ? "cli" : scheduler.nodeId(), clock, metrics);
            ReconciliationStore reconciliations = new ReconciliationStore(database.jdbi());
            this.reconciler = new Reconciler(config::current, sessions, tickets, reconciliations, clock);
            this.statuses = new MailboxStatuses(config::current, mailboxes, authorizations, reconciliations, clock);
            ensureMailboxRows(cfg);
            this.web = serve ? new WebServer(cfg.server(), authorization, this::readiness, metrics::scrape,
                    Optional.of(adminUi(clock))) : null;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        config.addListener(this::onConfigChanged);
    }

    /**
     * Each running collection holds one connection for its mailbox's run lock and uses another for its writes, and
     * Quartz needs its own: the pool is never smaller than that, whatever database.pool-size says.
     */
    private static DatabaseConfig withRoomForRuns(IntakeConfig cfg) {
        DatabaseConfig db = cfg.database();
        int needed = 2 * cfg.operations().schedulerThreads() + 4;
        return db.poolSize() >= needed ? db : new DatabaseConfig(db.url(), db.user(), db.password(), needed);
    }

    private void runScheduled(String mailboxId, boolean forced, BooleanSupplier stop) {
        collection.run(mailboxId, forced, stop);
    }

    /** Opens everything, starts the schedule and serves HTTP: what {@code intake run} does. */
    public static Intake start(ReloadingConfig config, Clock clock) {
        return start(config, clock, FaultPoints.NONE);
    }

    /** {@link #start(ReloadingConfig, Clock)} with fault points, for crash tests. */
    public static Intake start(ReloadingConfig config, Clock clock, FaultPoints faults) {
        Intake intake = new Intake(config, clock, true, faults);
        try {
            intake.scheduler.start();
            intake.syncSchedule();
            intake.web.start();
            intake.housekeeping = new Housekeeping(intake.statuses, intake.providerStatuses);
            intake.housekeeping.start(Duration.ofMinutes(15));
            // Nodes sync the schedule on their own events (reload, authorization); one node's sync can race another's
            // authorization and drop its new job. Reconciling every minute bounds that to a minute of delay.
            intake.housekeeping.every(Duration.ofMinutes(1), "Reconciling the schedule", intake::syncSchedule);
            intake.warnAboutDeleteOnH2();
            RunMarker marker = RunMarker.forDatabase(intake.currentConfig().database());
            boolean afterCrash = marker.lastRunEndedUncleanly();
            marker.markRunning();
            intake.runMarker = marker;
            intake.reconcileSchedule = new ReconcileSchedule().start(intake.reconciler, intake::authorizedMailboxes,
                    afterCrash, intake::pollSoon);
            config.start();
        } catch (RuntimeException e) {
            intake.close();
            throw e;
        }
        return intake;
    }

    /** Opens the database and services without serving or scheduling: for one-shot commands. */
    public static Intake offline(ReloadingConfig config, Clock clock) {
        return new Intake(config, clock, false, FaultPoints.NONE);
    }

    private void onConfigChanged(IntakeConfig previous, IntakeConfig next) {
        if (!previous.database().equals(next.database()) || !previous.server().equals(next.server())
                || !previous.operations().equals(next.operations())) {
            log.warn("database, server and operations settings take effect at the next restart; the other changes apply now");
        }
        if (!previous.encryption().equals(next.encryption()) && next.encryption().isConfigured()) {
            box.replaceKeys(KeyRings.fromConfig(next.encryption(), KeyUsage.storedKeyIds(database.jdbi())));
            log.info("Encryption keys reloaded; new values are sealed with key '{}'", next.encryption().activeKey().orElseThrow());
            if (!previous.encryption().activeKey().equals(next.encryption().activeKey())) {
                // Rotating the active key re-seals what is stored, so the old key can be retired without a command.
                try {
                    rotateKeys();
                } catch (RuntimeException e) {
                    log.error("Could not re-seal stored secrets with the new active key: {}. Nothing was changed; "
                            + "run `intake keys rotate` once the cause is fixed.", e.getMessage());
                }
            }
        }
        ensureMailboxRows(next);
        syncSchedule();
    }

    private void ensureMailboxRows(IntakeConfig cfg) {
        for (MailboxConfig m : cfg.mailboxes()) {
            mailboxes.ensure(m.id());
        }
    }

    /** Jobs for exactly the mailboxes that are configured, not paused, and authorized. */
    public void syncSchedule() {
        if (scheduler == null) {
            return;
        }
        Map<String, Duration> wanted = new LinkedHashMap<>();
        for (MailboxConfig m : config.current().mailboxes()) {
            boolean active = mailboxes.find(m.id()).map(r -> r.state() == MailboxState.ACTIVE && !r.pausedByAdmin())
                    .orElse(false);
            if (active && !m.paused()) {
                wanted.put(m.id(), m.pollEvery());
            }
        }
        scheduler.sync(wanted);
    }

    /** See the README's "What is durable, and when": after a crash, H2 may roll back commits of deleted mail. */
    private void warnAboutDeleteOnH2() {
        if (!currentConfig().database().isH2()) {
            return;
        }
        for (MailboxConfig m : currentConfig().mailboxes()) {
            if (m.postAction() == PostAction.DELETE) {
                log.warn("Mailbox '{}' deletes collected mail (post-action: delete) on the embedded H2 database: after a "
                        + "crash H2 may reopen at an older version, and mail deleted on the strength of a rolled-back "
                        + "commit cannot be re-imported. Use post-action move or seen, or PostgreSQL.", m.id());
            }
        }
    }

    /** Collects a mailbox now if it is being collected at all (not paused, authorized). */
    private void pollSoon(String mailboxId) {
        try {
            scheduler.pollNow(mailboxId);
        } catch (IllegalStateException notCollected) {
            // Paused or not authorized: the mail waits in the folder for the next run.
        }
    }

    private Set<String> authorizedMailboxes() {
        return mailboxes.all().stream().filter(r -> r.state() == MailboxState.ACTIVE).map(MailboxRecord::id)
                .collect(Collectors.toSet());
    }

    /** TLS trust is rebuilt only when {@code tls} changes in the configuration. */
    private Trust trust() {
        TlsConfig tls = config.current().tls();
        Trust current = trust.get();
        if (current == null || !current.config.equals(tls)) {
            TlsTrust t = TlsTrust.from(tls);
            current = new Trust(tls, t, new ImapConnector(t));
            trust.set(current);
        }
        return current;
    }

    private record Trust(TlsConfig config, TlsTrust tls, ImapConnector imap) {
    }

    private List<MailboxStatus> mailboxStatusesNow() {
        return statuses.all();
    }

    private List<ProviderStatus> providerStatusesNow() {
        return providerStatuses.all();
    }

    /** The readiness report for {@code /health/ready}. */
    public Readiness readiness() {
        boolean db = database.reachable();
        boolean migrations = db && database.migrationsCurrent();
        boolean scheduling = scheduler != null && scheduler.isStarted();
        boolean ready = db && migrations && scheduling;
        List<String> stale = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (db) {
            for (MailboxStatus s : statuses.all()) {
                if (s.unrecorded() > 0) {
                    warnings.add("mailbox '" + s.id() + "': " + s.unrecorded() + " message(s) in its accepted or refused "
                            + "folder have no record of Intake handling them and may be missing from the helpdesk; "
                            + "re-import them on the mailbox page or with `intake reconcile " + s.id() + "`");
                }
                if (s.stale()) {
                    stale.add(s.id());
                    warnings.add("mailbox '" + s.id() + "' has not been collected successfully since "
                            + s.lastSuccessAt().map(Object::toString).orElse("it was authorized")
                            + s.lastError().map(e -> "; last error: " + e).orElse(""));
                }
            }
        }
        providerStatuses.all().forEach(p -> p.warning().ifPresent(warnings::add));
        String status = !ready ? "unready" : warnings.isEmpty() ? "ready" : "degraded";
        return new Readiness(status, ready, db, migrations, scheduling, stale, warnings);
    }

    /** Re-seals every stored secret with the active key; see {@link KeyRotation}. */
    public Map<String, Integer> rotateKeys() {
        return new KeyRotation(database.jdbi(), box).rotate();
    }

    public String activeKeyId() {
        return box.keys().activeId();
    }

    /** How many stored values each key id seals. */
    public Map<String, Integer> keyUsage() {
        return KeyUsage.count(database.jdbi());
    }

    public ProviderStatuses providerStatuses() {
        return providerStatuses;
    }

    public IntakeMetrics metrics() {
        return metrics;
    }

    /**
     * The admin's browser: accounts (configured, or the initial admin created and printed at the first start),
     * sessions and sign-in throttling in the database, and what the pages may read and do.
     */
    private AdminUi adminUi(Clock clock) {
        Passwords passwords = new Passwords();
        ReconciliationStore reconciliations = new ReconciliationStore(database.jdbi());
        InitialAdmin initial = new InitialAdmin(database.jdbi(), passwords, clock);
        initial.ensure(config.current().admins(), System.out);
        AdminDirectory admins = new AdminDirectory(config::current, initial, passwords);
        AdminSessions sessions = new AdminSessions(database.jdbi(), clock);
        SignIn signIn = new SignIn(admins, sessions, new SignInThrottle(database.jdbi(), clock));
        MailboxControl control = new MailboxControl() {
            @Override
            public void pollNow(String mailboxId) {
                scheduler.pollNow(mailboxId);
            }

            @Override
            public void setPaused(String mailboxId, boolean paused) {
                Intake.this.setPaused(mailboxId, paused);
            }

            @Override
            public boolean pausedByAdmin(String mailboxId) {
                return mailboxes.find(mailboxId).map(MailboxRecord::pausedByAdmin).orElse(false);
            }

            @Override
            public Optional<Reconciliation> lastReconciliation(String mailboxId) {
                return reconciliations.last(mailboxId);
            }

            @Override
            public Reconciliation reconcileNow(String mailboxId) {
                return reconciler.check(mailboxId);
            }

            @Override
            public int reimportUnrecorded(String mailboxId) {
                int moved;
                try {
                    moved = reconciler.reimport(mailboxId);
                } catch (ProviderException | ImapException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                if (moved > 0) {
                    pollSoon(mailboxId);
                }
                return moved;
            }
        };
        return new AdminUi(signIn, sessions, admins, config::current, statuses, ticketQueries, runs, imports, control, clock);
    }

    /**
     * Serves HTTP from an offline Intake, so that {@code intake authorize} can receive the provider's callback when no
     * node is running.
     */
    public synchronized void listenForCallback() {
        if (web == null) {
            web = new WebServer(config.current().server(), authorization, this::readiness, metrics::scrape,
                    Optional.empty()).start();
        }
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public RefusedImports imports() {
        return imports;
    }

    /** An admin pauses or resumes a mailbox's collection (in addition to the configuration's {@code paused}). */
    public void setPaused(String mailboxId, boolean paused) {
        mailboxes.setPausedByAdmin(mailboxId, paused);
        syncSchedule();
    }

    public MailboxStatuses statuses() {
        return statuses;
    }

    public int port() {
        return web.port();
    }

    public Database database() {
        return database;
    }

    public AuthorizationStore authorizations() {
        return authorizations;
    }

    public MailboxStore mailboxes() {
        return mailboxes;
    }

    public TokenService tokens() {
        return tokens;
    }

    public AuthorizationService authorization() {
        return authorization;
    }

    public CollectionService collection() {
        return collection;
    }

    public CollectionScheduler scheduler() {
        return scheduler;
    }

    public TicketQueries ticketQueries() {
        return ticketQueries;
    }

    public PollRunStore runs() {
        return runs;
    }

    public IntakeConfig currentConfig() {
        return config.current();
    }

    /** Stops taking new runs, lets the runs in hand finish their message, then closes HTTP, config and database. */
    @Override
    public void close() {
        try {
            if (housekeeping != null) {
                housekeeping.close();
            }
            if (reconcileSchedule != null) {
                reconcileSchedule.close();
            }
            if (scheduler != null) {
                scheduler.close();
            }
            if (web != null) {
                web.close();
            }
        } finally {
            config.close();
            database.close();
            if (runMarker != null) {
                runMarker.markStopped();
            }
        }
    }
}
