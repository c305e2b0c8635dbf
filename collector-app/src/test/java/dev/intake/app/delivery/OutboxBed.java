package dev.intake.app.delivery;

import dev.intake.app.events.EventStore;
import dev.intake.app.events.EventType;
import dev.intake.app.support.database.StoreTestBed;
import dev.intake.app.support.database.TestTickets;
import dev.intake.app.ticket.AttachmentContent;
import dev.intake.app.ticket.Person;
import dev.intake.app.ticket.TicketStore;
import dev.intake.config.AuthMode;
import dev.intake.config.ConfigLoader;
import dev.intake.config.DateSource;
import dev.intake.config.DeliveryConfig;
import dev.intake.config.DeliveryTargetConfig;
import dev.intake.config.GlpiLegacyTargetConfig;
import dev.intake.config.GlpiTicketFields;
import dev.intake.config.InitialSync;
import dev.intake.config.IntakeConfig;
import dev.intake.config.MailboxConfig;
import dev.intake.config.PostAction;
import dev.intake.config.Secret;
import dev.intake.config.WebhookTargetConfig;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The outbox's parts on a {@link StoreTestBed}, with {@link RecordingTarget}s built by the registry: a helpdesk
 * target ("helpdesk", a GLPI legacy configuration) and a webhook ("hook"), and a mailbox "support" that delivers to
 * both unless a test says otherwise.
 */
final class OutboxBed {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    final StoreTestBed bed;
    final TicketStore tickets;
    final EventStore events;
    final OutboxStore outbox;
    final DeliveryTargets targets;
    final Map<String, RecordingTarget> built = new ConcurrentHashMap<>();
    final AtomicReference<IntakeConfig> config = new AtomicReference<>();
    final DeliveryWorker worker;
    final Deliveries deliveries;
    final List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();

    OutboxBed(StoreTestBed bed) {
        this(bed, List.of(helpdesk("helpdesk"), webhook("hook", "secret-1")), Optional.empty(), 5);
    }

    OutboxBed(StoreTestBed bed, List<DeliveryTargetConfig> targetConfigs, Optional<List<String>> deliverTo,
            int maxAttempts) {
        this.bed = bed;
        this.tickets = new TicketStore(bed.jdbi(), bed.clock());
        this.events = new EventStore(bed.jdbi(), bed.clock());
        this.outbox = new OutboxStore(bed.jdbi(), bed.clock());
        this.targets = new DeliveryTargets(c -> {
            RecordingTarget t = new RecordingTarget(c, c instanceof WebhookTargetConfig
                    ? EnumSet.of(ItemKind.TICKET, ItemKind.FOLLOWUP, ItemKind.MESSAGE_REFUSED)
                    : EnumSet.of(ItemKind.TICKET, ItemKind.FOLLOWUP, ItemKind.ATTACHMENT));
            built.put(c.name(), t);
            return t;
        });
        configure(targetConfigs, deliverTo, maxAttempts);
        events.hook(new OutboxWriter(config::get, targets, tickets, outbox));
        this.worker = new DeliveryWorker(config::get, targets, outbox, tickets, tickets, events,
                (target, outcome) -> outcomes.add(target + ":" + outcome), bed.clock(), java.util.random.RandomGenerator.of("L64X128MixRandom"));
        this.deliveries = new Deliveries(config::get, targets, outbox, target -> { }, bed.clock());
    }

    void configure(List<DeliveryTargetConfig> targetConfigs, Optional<List<String>> deliverTo, int maxAttempts) {
        IntakeConfig base = new ConfigLoader(name -> null).defaults().config();
        DeliveryConfig delivery = new DeliveryConfig(targetConfigs, maxAttempts, Duration.ofSeconds(30),
                Duration.ofMinutes(10), Duration.ofMinutes(30));
        IntakeConfig next = new IntakeConfig(base.server(), base.database(), base.encryption(), base.tls(),
                base.providers(), List.of(mailbox("support", deliverTo), mailbox("sales", Optional.of(List.of()))),
                base.tickets(), base.operations(), base.admins(), base.api(), delivery);
        config.set(next);
        targets.apply(delivery);
    }

    static MailboxConfig mailbox(String id, Optional<List<String>> deliverTo) {
        return new MailboxConfig(id, "entra", id + "@contoso.com", Optional.empty(), AuthMode.DELEGATED, "INBOX",
                Optional.of("Intake/Accepted"), Optional.of("Intake/Refused"), PostAction.MOVE, true,
                Duration.ofMinutes(1), 200, 25L * 1024 * 1024, 10L * 1024 * 1024, InitialSync.DEFAULT, false, false,
                DateSource.MAIL, List.of(), Optional.empty(), Optional.empty(), dev.intake.config.CollectionMode.POLL,
                new dev.intake.config.IdleSettings(Duration.ofMinutes(25), Duration.ofMinutes(15)), deliverTo);
    }

    static GlpiLegacyTargetConfig helpdesk(String name) {
        return new GlpiLegacyTargetConfig(name, URI.create("https://glpi.example"), Optional.empty(),
                Optional.of(Secret.of("user-token-1")), Optional.empty(), Optional.empty(), GlpiTicketFields.defaults(),
                TIMEOUT);
    }

    static WebhookTargetConfig webhook(String name, String secret) {
        return new WebhookTargetConfig(name, URI.create("https://hooks.example/intake"), Secret.of(secret), Set.of(),
                TIMEOUT);
    }

    RecordingTarget target(String name) {
        return built.get(name);
    }

    /** A ticket from mailbox "support" with its event, committed; attachments named as given. */
    long ticket(String subject, String... attachments) {
        return ticketIn("support", subject, attachments);
    }

    long ticketIn(String mailbox, String subject, String... attachments) {
        return bed.transactions().inTransaction(tx -> {
            long t = tickets.open(tx, mailbox, TestTickets.content(subject, new Person("alice@example.org",
                    Optional.empty()), attachmentList(attachments)));
            events.append(tx, EventType.TICKET_CREATED, mailbox, t, null, null);
            return t;
        });
    }

    long followup(long ticket, String subject, String... attachments) {
        return bed.transactions().inTransaction(tx -> {
            long f = tickets.addFollowup(tx, ticket, "support", TestTickets.content(subject,
                    new Person("bob@example.org", Optional.empty()), attachmentList(attachments)));
            events.append(tx, EventType.FOLLOWUP_ADDED, "support", ticket, f, null);
            return f;
        });
    }

    private static List<AttachmentContent> attachmentList(String... names) {
        return java.util.Arrays.stream(names).map(n -> TestTickets.attachment(n, "content of " + n)).toList();
    }

    DeliveryWorker.RunResult run(String target) {
        return worker.run(target, () -> false);
    }

    List<OutboxItem> items(String target) {
        List<OutboxItem> all = new java.util.ArrayList<>(outbox.list(Optional.of(target), Optional.empty(), 10_000));
        java.util.Collections.reverse(all);
        return all;
    }
}
