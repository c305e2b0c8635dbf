package dev.intake.app;

import dev.intake.app.admin.AdminDirectory;
import dev.intake.app.admin.AdminSessionStore;
import dev.intake.app.admin.InitialAdminStore;
import dev.intake.app.admin.Passwords;
import dev.intake.app.admin.SignIn;
import dev.intake.app.admin.SignInFailureStore;
import dev.intake.app.admin.Terminal;
import dev.intake.app.apiclient.ApiClientStore;
import dev.intake.app.apiclient.ApiClients;
import dev.intake.app.apiclient.ApiTokens;
import dev.intake.app.check.ConnectionCheck;
import dev.intake.app.collect.CollectionService;
import dev.intake.app.collect.FaultPoints;
import dev.intake.app.collect.MailboxCollector;
import dev.intake.app.collect.MailboxSessions;
import dev.intake.app.collect.MessageProcessor;
import dev.intake.app.collect.ParsePool;
import dev.intake.app.collect.PollRunStore;
import dev.intake.app.collect.RefusedImports;
import dev.intake.app.collect.RunHistory;
import dev.intake.app.collect.RunHistoryRetention;
import dev.intake.app.collect.RecoveryGate;
import dev.intake.app.collect.RunLockStore;
import dev.intake.app.collect.TicketContents;
import dev.intake.app.control.ConfigChanges;
import dev.intake.app.control.MailboxActions;
import dev.intake.app.crypto.KeyRings;
import dev.intake.app.crypto.SecretBox;
import dev.intake.app.delivery.Deliveries;
import dev.intake.app.delivery.DeliveryTargetFactory;
import dev.intake.app.delivery.DeliveryTargets;
import dev.intake.app.delivery.DeliveryWorker;
import dev.intake.app.delivery.OutboxStore;
import dev.intake.app.delivery.OutboxWriter;
import dev.intake.app.delivery.targets.StandardTargets;
import dev.intake.app.events.EventStore;
import dev.intake.app.events.EventType;
import dev.intake.app.idle.IdleLeaseStore;
import dev.intake.app.idle.IdleSupervisor;
import dev.intake.app.imap.TrustedConnections;
import dev.intake.app.keys.KeyOperations;
import dev.intake.app.ledger.LedgerQueries;
import dev.intake.app.ledger.LedgerStore;
import dev.intake.app.mail.MailClassifier;
import dev.intake.app.mail.MailParser;
import dev.intake.app.metrics.IntakeMetrics;
import dev.intake.app.oauth.AuthorizationEvents;
import dev.intake.app.oauth.AuthorizationService;
import dev.intake.app.oauth.ProviderRegistry;
import dev.intake.app.oauth.TokenService;
import dev.intake.app.reconcile.ReconcileSchedule;
import dev.intake.app.reconcile.Reconciler;
import dev.intake.app.reconcile.ReconciliationStore;
import dev.intake.app.schedule.CollectionScheduler;
import dev.intake.app.schedule.NodeIdentity;
import dev.intake.app.schedule.ScheduleReconciler;
import dev.intake.app.status.Housekeeping;
import dev.intake.app.status.MailboxStatuses;
import dev.intake.app.status.ProviderStatuses;
import dev.intake.app.status.Readiness;
import dev.intake.app.status.ReadinessCheck;
import dev.intake.app.store.AuthorizationStore;
import dev.intake.app.store.Database;
import dev.intake.app.store.MailboxState;
import dev.intake.app.store.MailboxStore;
import dev.intake.app.store.OAuthStateStore;
import dev.intake.app.store.RunMarker;
import dev.intake.app.store.SealedValueStore;
import dev.intake.app.store.Transactions;
import dev.intake.app.ticket.TicketQueries;
import dev.intake.app.ticket.TicketStore;
import dev.intake.app.web.AdminUi;
import dev.intake.app.web.WebServer;
import dev.intake.config.ConfigException;
import dev.intake.config.ConfigProblem;
import dev.intake.config.DatabaseConfig;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import dev.intake.config.PostAction;
import dev.intake.config.ReloadingConfig;
import dev.intake.provider.IdentityProviders;
import dev.intake.provider.ProviderContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running product, assembled in one place: Intake builds the parts and hands each the narrow collaborators it
 * needs; the behaviour lives in the parts. A node ({@link #start}) and a one-shot command ({@link #offline}) use the
 * same parts, the node with its scheduler, HTTP server and background tasks. The accessors give commands and tests
 * the services they use; stores and the database stay inside.
 */
public final class Intake implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Intake.class);

    private final ReloadingConfig config;
    private final Database database;
    private final IntakeMetrics metrics;
    private final MailboxStore mailboxes;
    private final TokenService tokens;
    private final AuthorizationService authorization;
    private final TicketStore tickets;
    private final LedgerStore ledger;
    private final CollectionService collection;
    private final ParsePool parsers;
    private final RefusedImports imports;
    private final Reconciler reconciler;
    private final KeyOperations keys;
    private final ScheduleReconciler schedule;
    private final MailboxStatuses statuses;
    private final ProviderStatuses providerStatuses;
    private final MailboxActions mailboxActions;
    private final ConfigChanges configChanges;
    private final ReadinessCheck readiness;
    private final PollRunStore runs;
    private final EventStore events;
    private final ApiClients apiClients;
    private final ApiTokens apiTokens;
    private final Optional<CollectionScheduler> scheduler;
    private final DeliveryTargets deliveryTargets;
    private final Deliveries deliveries;
    private final Optional<IdleSupervisor> idle;
    private final SecretBox box;
    private final Clock clock;
    private WebServer web;
    private Housekeeping housekeeping;
    private ReconcileSchedule reconcileSchedule;
    private final RecoveryGate recoveryGate = new RecoveryGate();
    private RunMarker runMarker;

    /**
     * How delivery is set up: its targets' factory and the configuration it reads. A node uses {@link #standard()};
     * tests give targets of their own (the SPI's fake) and may add targets to the configuration they read.
     */
    public record DeliverySetup(Function<TargetContext, DeliveryTargetFactory> targets, UnaryOperator<IntakeConfig> view) {

        public static DeliverySetup standard() {
            return new DeliverySetup(c -> new StandardTargets(c.tls(), c.publicUrl(), c.clock()), UnaryOperator.identity());
        }
    }

    /** What the node gives its targets' factory: its clock, its TLS trust and its public URL, as configured now. */
    public record TargetContext(Clock clock, Supplier<SSLContext> tls, Supplier<java.net.URI> publicUrl) {
    }

    private Intake(ReloadingConfig config, Clock clock, boolean serve, FaultPoints faults, DeliverySetup delivery) {
        this.config = config;
        this.clock = clock;
        IntakeConfig cfg = config.current();
        DatabaseConfig pool = withRoomForRuns(cfg);
        this.database = Database.open(pool);
        try {
            SealedValueStore sealed = new SealedValueStore(database.jdbi());
            this.box = new SecretBox(KeyRings.fromConfig(cfg.encryption(), sealed.keyIdsInUse()));
            Transactions transactions = new Transactions(database.jdbi());
            this.mailboxes = new MailboxStore(database.jdbi(), clock);
            AuthorizationStore authorizations = new AuthorizationStore(database.jdbi(), box, clock);
            this.ledger = new LedgerStore(database.jdbi(), clock);
            this.tickets = new TicketStore(database.jdbi(), clock);
            this.runs = new PollRunStore(database.jdbi(), clock);
            ReconciliationStore reconciliations = new ReconciliationStore(database.jdbi());
            this.events = new EventStore(database.jdbi(), clock);
            ApiClientStore apiClientStore = new ApiClientStore(database.jdbi(), clock);
            this.apiClients = new ApiClients(apiClientStore, new Passwords(), new SignInFailureStore(database.jdbi(), clock));
            this.apiTokens = new ApiTokens(apiClients, apiClientStore, () -> config.current().api().tokenLifetime(), clock);

            TrustedConnections trust = new TrustedConnections(() -> config.current().tls());
            ProviderRegistry providers = new ProviderRegistry(IdentityProviders.discover(), config::current,
                    () -> new ProviderContext(Optional.of(trust.socketFactory()), clock));
            IdleLeaseStore idleLeases = new IdleLeaseStore(database.jdbi(), clock);
            this.statuses = new MailboxStatuses(config::current, mailboxes, authorizations, reconciliations, idleLeases,
                    clock);
            this.providerStatuses = new ProviderStatuses(config::current, providers, clock);
            OutboxStore outbox = new OutboxStore(database.jdbi(), clock);
            Supplier<IntakeConfig> deliveryView = () -> delivery.view().apply(config.current());
            this.deliveryTargets = new DeliveryTargets(delivery.targets().apply(new TargetContext(clock, trust::sslContext,
                    () -> config.current().server().publicUrl())));
            deliveryTargets.apply(deliveryView.get().delivery());
            events.hook(new OutboxWriter(deliveryView, deliveryTargets, tickets, outbox));
            this.deliveries = new Deliveries(deliveryView, deliveryTargets, outbox, this::deliverNow, clock);
            this.metrics = new IntakeMetrics(statuses::all, providerStatuses::all, deliveries::targets, clock);
            this.schedule = new ScheduleReconciler(config::current, mailboxes);
            AuthorizationEvents authorizationChanges = mailboxId -> {
                schedule.authorizationChanged(mailboxId);
                events.append(EventType.MAILBOX_STATE_CHANGED, mailboxId, mailboxes.find(mailboxId)
                        .map(m -> m.state().name().toLowerCase(java.util.Locale.ROOT)).orElse("unknown"));
            };
            this.tokens = new TokenService(config::current, transactions, authorizations, mailboxes, providers, clock,
                    authorizationChanges, metrics);
            this.authorization = new AuthorizationService(config::current, providers,
                    new OAuthStateStore(database.jdbi(), box, clock), authorizations, tokens, clock, authorizationChanges);

            MailboxSessions sessions = new MailboxSessions(tokens, providers, trust::imap);
            MailParser parser = new MailParser();
            TicketContents contents = new TicketContents(ledger, tickets, clock);
            MessageProcessor processor = new MessageProcessor(ledger, tickets, parser, new MailClassifier(),
                    () -> config.current().tickets(), contents, events);
            this.parsers = ParsePool.perCore();
            MailboxCollector collector = new MailboxCollector(sessions, transactions, ledger, database::makeCommitsDurable,
                    processor, clock, faults, parsers);
            NodeIdentity node = serve ? NodeIdentity.ofThisProcess() : NodeIdentity.COMMAND;
            this.collection = new CollectionService(config::current, mailboxes, collector, runs,
                    new RunLockStore(database.jdbi()), node, clock, (mailboxId, took, ok, summary) -> {
                        metrics.finished(mailboxId, took, ok, summary);
                        if (summary.tickets() + summary.followups() > 0) {
                            // What the run collected goes out now, not at the delivery jobs' next tick.
                            targetNames(deliveryView.get()).forEach(this::deliverNow);
                        }
                    }, recoveryGate);
            DeliveryWorker deliveryWorker = new DeliveryWorker(deliveryView, deliveryTargets, outbox, tickets, tickets,
                    events, metrics, clock);
            this.scheduler = serve ? Optional.of(new CollectionScheduler(database, cfg.operations(), node, collection,
                    (target, stop) -> deliveryWorker.run(target, stop))) : Optional.empty();
            this.idle = serve ? Optional.of(new IdleSupervisor(config::current, sessions, collection, idleLeases, node.id(),
                    IdleSupervisor.runSlots(pool.poolSize(), cfg.operations().schedulerThreads()), clock))
                    : Optional.empty();
            this.imports = new RefusedImports(config::current, transactions, ledger, tickets, parser, contents, events);
            this.reconciler = new Reconciler(config::current, sessions, ledger, reconciliations, clock);
            this.keys = new KeyOperations(box, sealed);
            ConnectionCheck connections = new ConnectionCheck(config::current, tokens, sessions, trust::imap, providers);
            this.mailboxActions = new MailboxActions(mailboxes, schedule, reconciler, reconciliations, scheduler,
                    connections, events);
            this.configChanges = new ConfigChanges(keys, mailboxes, schedule);
            this.readiness = new ReadinessCheck(database, () -> scheduler.map(CollectionScheduler::isStarted).orElse(false),
                    statuses, providerStatuses, this::refusedConfig, deliveries::backlogWarnings);
            configChanges.ensureMailboxRows(cfg);
            apiClients.declare(cfg.api().clients());
            if (serve) {
                this.web = new WebServer(cfg.server(), authorization, readiness::check, metrics::scrape,
                        Optional.of(adminUi()));
            }
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        config.addListener(configChanges);
        // Every reload: unchanged targets are kept, changed ones (a rotated secret) rebuilt; see DeliveryTargets. A
        // replaced trust store rebuilds them all: their HTTP clients keep the trust they were built with.
        config.addListener((previous, next) -> {
            IntakeConfig seen = delivery.view().apply(next);
            if (previous.tls().equals(next.tls())) {
                deliveryTargets.apply(seen.delivery());
            } else {
                log.info("tls changed: the delivery targets are built again with the new trust");
                deliveryTargets.rebuild(seen.delivery());
            }
            scheduler.ifPresent(s -> s.syncDeliveries(targetNames(seen)));
        });
        config.addListener((previous, next) -> {
            if (!previous.api().clients().equals(next.api().clients())) {
                apiClients.declare(next.api().clients());
            }
        });
        idle.ifPresent(supervisor -> config.addListener((previous, next) -> supervisor.configChanged()));
    }

    /**
     * Each running collection holds one connection for its mailbox's run lock and uses another for its writes, and
     * Quartz needs its own: the pool is never smaller than that, whatever database.pool-size says. When a mailbox
     * idles, runs started by IMAP IDLE get as many slots again (see {@link IdleSupervisor#runSlots}).
     */
    private static DatabaseConfig withRoomForRuns(IntakeConfig cfg) {
        DatabaseConfig db = cfg.database();
        int threads = cfg.operations().schedulerThreads();
        boolean idles = cfg.mailboxes().stream().anyMatch(MailboxConfig::idles);
        int needed = 2 * (threads + (idles ? threads : 0)) + 4 + CollectionScheduler.DELIVERY_THREADS;
        return db.poolSize() >= needed ? db : new DatabaseConfig(db.url(), db.user(), db.password(), needed);
    }

    /** Opens everything, starts the schedule and serves HTTP: what {@code intake run} does. */
    public static Intake start(ReloadingConfig config, Clock clock) {
        return start(config, clock, FaultPoints.NONE);
    }

    /** {@link #start(ReloadingConfig, Clock)} with fault points, for crash tests. */
    public static Intake start(ReloadingConfig config, Clock clock, FaultPoints faults) {
        return start(config, clock, faults, DeliverySetup.standard());
    }

    /** {@link #start(ReloadingConfig, Clock, FaultPoints)} with delivery set up by the caller (tests). */
    public static Intake start(ReloadingConfig config, Clock clock, FaultPoints faults, DeliverySetup delivery) {
        Intake intake = new Intake(config, clock, true, faults, delivery);
        try {
            intake.startNode(delivery);
        } catch (RuntimeException e) {
            intake.close();
            throw e;
        }
        return intake;
    }

    private void startNode(DeliverySetup delivery) {
        CollectionScheduler quartz = scheduler.orElseThrow();
        RunMarker marker = RunMarker.forDatabase(config.current().database());
        boolean afterCrash = marker.lastRunEndedUncleanly();
        Set<String> toRecover = afterCrash ? authorizedMailboxes() : Set.of();
        // Before the first run: mail that arrived after what the database lost must not be collected ahead of it.
        recoveryGate.hold(toRecover);
        quartz.start();
        schedule.start(quartz);
        quartz.syncDeliveries(targetNames(delivery.view().apply(config.current())));
        idle.ifPresent(IdleSupervisor::start);
        web.start();
        housekeeping = new Housekeeping(statuses, providerStatuses,
                new RunHistoryRetention(config::current, runs, clock));
        housekeeping.start(Duration.ofMinutes(15));
        warnAboutDeleteOnH2();
        marker.markRunning();
        runMarker = marker;
        reconcileSchedule = new ReconcileSchedule().start(reconciler, this::authorizedMailboxes, toRecover,
                config.current().operations().schedulerThreads(), recoveryGate, mailboxActions::pollSoon);
        config.start();
    }

    private static Set<String> targetNames(IntakeConfig cfg) {
        return cfg.delivery().targets().stream().map(t -> t.name()).collect(Collectors.toSet());
    }

    /** After an admin's Retry: the target's job runs now, on whichever node Quartz gives it to. */
    private void deliverNow(String target) {
        scheduler.ifPresent(s -> s.deliverNow(target));
    }

    /** Opens the database and services without serving or scheduling: for one-shot commands. */
    public static Intake offline(ReloadingConfig config, Clock clock) {
        return new Intake(config, clock, false, FaultPoints.NONE, DeliverySetup.standard());
    }

    /** See the README's "What is durable, and when": after a crash, H2 may roll back commits of deleted mail. */
    private void warnAboutDeleteOnH2() {
        if (!config.current().database().isH2()) {
            return;
        }
        for (MailboxConfig m : config.current().mailboxes()) {
            if (m.postAction() == PostAction.DELETE) {
                log.warn("Mailbox '{}' deletes collected mail (post-action: delete) on the embedded H2 database: after a "
                        + "crash H2 may reopen at an older version, and mail deleted on the strength of a rolled-back "
                        + "commit cannot be re-imported. Use post-action move or seen, or PostgreSQL.", m.id());
            }
        }
    }

    private Set<String> authorizedMailboxes() {
        return mailboxes.all().stream().filter(r -> r.state() == MailboxState.ACTIVE).map(r -> r.id())
                .collect(Collectors.toSet());
    }

    /**
     * The admin's browser: accounts (configured, or the initial admin created and printed at the first start),
     * sessions and sign-in throttling in the database, and what the pages may read and do.
     */
    private AdminUi adminUi() {
        Passwords passwords = new Passwords();
        InitialAdminStore initial = new InitialAdminStore(database.jdbi(), passwords, clock);
        Path passwordFile = config.current().encryption().localKeyFile().resolveSibling("initial-admin-password");
        initial.ensure(config.current().admins(), System.out, passwordFile, Terminal.console().isPresent());
        AdminDirectory admins = new AdminDirectory(config::current, initial, passwords);
        AdminSessionStore sessions = new AdminSessionStore(database.jdbi(), clock);
        SignIn signIn = new SignIn(admins, sessions, new SignInFailureStore(database.jdbi(), clock));
        return new AdminUi(signIn, sessions, admins, config::current, statuses, tickets, tickets, ledger, runs, imports,
                mailboxActions, this::refusedConfig, apiClients, apiTokens, events, deliveries, clock);
    }

    /** The problems of the last configuration change that was refused, for the banner, readiness and the API. */
    private List<ConfigProblem> refusedConfig() {
        return config.lastRejected().map(ConfigException::problems).orElse(List.of());
    }

    /**
     * Serves HTTP from an offline Intake, so that {@code intake authorize} can receive the provider's callback when no
     * node is running.
     */
    public synchronized void listenForCallback() {
        if (web == null) {
            web = new WebServer(config.current().server(), authorization, readiness::check, metrics::scrape,
                    Optional.empty()).start();
        }
    }

    /** Commands beside this node (same H2 file) run in it when they present {@code token}; see NodeCommandChannel. */
    public void acceptLocalCommands(dev.intake.config.Secret token, dev.intake.app.web.LocalCommands commands) {
        web.acceptLocalCommands(token, commands);
    }

    public IntakeConfig currentConfig() {
        return config.current();
    }

    public CollectionService collection() {
        return collection;
    }

    public MailboxStatuses statuses() {
        return statuses;
    }

    public ProviderStatuses providerStatuses() {
        return providerStatuses;
    }

    public TicketQueries tickets() {
        return tickets;
    }

    /** What the ledger says of a mailbox's collected messages: recent records, counts by outcome. */
    public LedgerQueries ledger() {
        return ledger;
    }

    public RefusedImports imports() {
        return imports;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public KeyOperations keys() {
        return keys;
    }

    public AuthorizationService authorization() {
        return authorization;
    }

    public TokenService tokens() {
        return tokens;
    }

    /** Poll now, pause and resume, check and re-import: what the admin's buttons do. */
    public MailboxActions mailboxActions() {
        return mailboxActions;
    }

    public ScheduleReconciler schedule() {
        return schedule;
    }

    /** Registering API clients and their tokens: what the Clients page and {@code intake clients} use. */
    public ApiClients apiClients() {
        return apiClients;
    }

    /** The tokens API clients get and present. */
    public ApiTokens apiTokens() {
        return apiTokens;
    }

    /** The events integrations read, in commit order. */
    public dev.intake.app.events.EventFeed events() {
        return events;
    }

    /** Delivery to helpdesks and webhooks: each target's state, the items, Retry and Skip. */
    public Deliveries deliveries() {
        return deliveries;
    }

    public RunHistory runs() {
        return runs;
    }

    public Readiness readiness() {
        return readiness.check();
    }

    public IntakeMetrics metrics() {
        return metrics;
    }

    public int port() {
        return web.port();
    }

    /** The HTTP routes this node serves ("METHOD /path"), for checking the API's description against them. */
    public List<String> httpRoutes() {
        return web.routes();
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
            // IDLE first: its connections are logged out and its leases given up, so another node takes over at once.
            idle.ifPresent(IdleSupervisor::close);
            schedule.close();
            scheduler.ifPresent(CollectionScheduler::close);
            deliveryTargets.close();
            parsers.close();
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
