package dev.intake.app.process;

import static dev.intake.app.process.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.store.FolderListener;
import com.icegreen.greenmail.store.MailFolder;
import dev.intake.app.process.MixedCorpus.Message;
import dev.intake.app.process.MixedCorpus.Outcome;
import dev.intake.testing.Browser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's scenario on the embedded default: one H2 node collecting a mixed corpus (attachments, replies,
 * duplicates, auto-replies, bounces, malformed mail) from a real IMAP server over TLS with XOAUTH2, killed with
 * {@code kill -9} again and again at chosen and random moments while an admin browses the UI and three more mailboxes
 * keep the scheduler busy. After the last restart every message must be exactly one ticket, followup, duplicate or
 * refusal, and the server's folders must hold exactly what the records say.
 *
 * <p>Two profiles: the default one runs in {@code mvn verify}; {@code -Dintake.soak=long} is issue 12's full run
 * (2,400 messages, 32 kills): {@code mvn -pl collector-app -am verify -Dit.test=H2KillSoakProcessIT -Dintake.soak=long}.
 */
class H2KillSoakProcessIT {

    /** Mailboxes with mail, collected at the same time (scheduler-threads: 4) as on a busy helpdesk. */
    static final List<String> BUSY = List.of("helpdesk", "sales", "billing", "hr");
    static final String REFUSED = "Intake.Refused";

    record Profile(int messages, int kills) {
        static Profile chosen() {
            return "long".equals(System.getProperty("intake.soak")) ? new Profile(2_400, 32) : new Profile(600, 9);
        }
    }

    /** The moments a kill is aimed at; each is used in turn. */
    enum Moment {
        /** The IMAP server receives the batch's MOVE: the instant after the batch's commit was made durable. */
        POST_ACTIONS,
        /** A little after a batch was moved: the next batch is being fetched, parsed and written. */
        NEXT_BATCH,
        /** Anywhere in the first seconds of a life, start-up and migrations included. */
        ANY_TIME
    }

    ProcessFixture bed;

    @AfterEach
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void killNineAtRandomMomentsLosesAndDuplicatesNothingAndTheFoldersAgree() {
        Profile profile = Profile.chosen();
        long seed = Long.getLong("intake.soak.seed", System.nanoTime());
        Random random = new Random(seed);
        bed = ProcessFixture.onH2("soak-" + seed);
        bed.entra().rotateRefreshTokens(false); // see StopAndCrashProcessIT
        bed.operations("scheduler-threads: 4");
        Map<String, MixedCorpus> corpora = new LinkedHashMap<>();
        Map<String, List<Message>> delivered = new LinkedHashMap<>();
        for (String id : BUSY) {
            bed.mailbox(id, "entra", address(id), "accepted-folder: Intake/Accepted", "refused-folder: Intake/Refused",
                    "initial-sync: all", "poll-every: 2s", "max-per-run: 1000");
            corpora.put(id, new MixedCorpus(seed + id.hashCode(), address(id)));
            delivered.put(id, new ArrayList<>());
        }
        // Mailboxes with nothing to collect, polled every second: Quartz and the run log commit all the time.
        List<String> idle = List.of("idle-a", "idle-b", "idle-c");
        for (String id : idle) {
            bed.mailbox(id, "google", address(id), "poll-every: 1s");
        }
        int perLife = profile.messages() / BUSY.size() / (profile.kills() + 1);

        deliver(corpora, delivered, perLife);
        NodeProcess first = bed.start("single");
        BUSY.forEach(id -> authorize(first, id, "entra"));
        idle.forEach(id -> authorize(first, id, "google"));
        AdminLoad admin = AdminLoad.start(first, BUSY.get(0));
        NodeProcess node = first;
        Instant lastStart = Instant.now();
        List<String> kills = new ArrayList<>();
        try {
            for (int kill = 1; kill <= profile.kills(); kill++) {
                Moment moment = Moment.values()[kill % Moment.values().length];
                kills.add(killAt(node, moment, random) + " (" + moment + ")");
                deliver(corpora, delivered, perLife);
                node = bed.launch("single");
                lastStart = Instant.now();
                // A kill at any time may land in the next life's start-up; the others wait for a working node.
                Moment next = Moment.values()[(kill + 1) % Moment.values().length];
                if (next != Moment.ANY_TIME || kill == profile.kills()) {
                    node.awaitReady();
                }
            }
            int total = delivered.values().stream().mapToInt(List::size).sum();
            await("every message to be collected after the last restart", () -> moved() == total
                    && BUSY.stream().allMatch(id -> bed.count(address(id), "INBOX") == 0));
            // The node compares its folders with its records shortly after it starts (ReconcileSchedule).
            Duration untilChecked = Duration.between(Instant.now(), lastStart.plusSeconds(15));
            if (!untilChecked.isNegative()) {
                NodeProcess.pause(untilChecked);
            }
        } finally {
            admin.stop();
        }
        assertThat(node.terminate(Duration.ofSeconds(45))).as("exit code after SIGTERM").contains(0);
        assertThat(admin.pagesServed()).as("admin pages served meanwhile").isPositive();

        String run = "seed " + seed + ", kills " + kills;
        long recoveries = node.log().lines().filter(l -> l.contains("the database had lost the record")).count();
        System.out.println("H2KillSoakProcessIT: " + profile + ", " + run + "; restarts that re-imported messages H2 had "
                + "rolled back: " + recoveries);
        CollectionLedger ledger = bed.ledger();
        assertThat(ledger.pendingPostActions()).as("post-actions left undone").isZero();
        assertThat(ledger.tickets()).as("tickets").isEqualTo(count(delivered, Outcome.TICKET));
        assertThat(ledger.followups()).as("followups").isEqualTo(count(delivered, Outcome.FOLLOWUP));
        delivered.forEach((id, messages) -> assertEveryMessageIsExactlyOneOutcomeAndTheFoldersAgree(id, messages, run));
        // Intake's own safety net agrees: no message in its folders lacks a record, and none is wrongly reported.
        for (String id : BUSY) {
            CollectionLedger.Check check = ledger.lastReconciliation(id).orElseThrow(() -> new AssertionError(
                    "no reconciliation of " + id + " was recorded"));
            assertThat(check.checkedAt()).as("%s checked after the last start", id).isAfter(lastStart);
            assertThat(check.error()).as("%s: the check's error", id).isEmpty();
            assertThat(check.unrecorded()).as("%s: messages reported without a record", id).isZero();
        }
    }

    /** Kills the node at the given moment; returns what the kill hit, for the failure message. */
    private String killAt(NodeProcess node, Moment moment, Random random) {
        int movedBefore = moved();
        switch (moment) {
            case POST_ACTIONS -> {
                AtomicBoolean killed = new AtomicBoolean();
                FolderListener onMove = new MoveListener(() -> {
                    if (killed.compareAndSet(false, true)) {
                        node.sigkill();
                    }
                });
                List<MailFolder> targets = new ArrayList<>();
                for (String id : BUSY) {
                    targets.add(bed.folder(address(id), ProcessFixture.ACCEPTED));
                    targets.add(bed.folder(address(id), REFUSED));
                }
                targets.forEach(f -> f.addListener(onMove));
                try {
                    await("the node to move a batch", killed::get);
                } finally {
                    targets.forEach(f -> f.removeListener(onMove));
                }
            }
            case NEXT_BATCH -> {
                await("the node to move a batch", () -> moved() > movedBefore);
                NodeProcess.pause(Duration.ofMillis(random.nextInt(600)));
                node.sigkill();
            }
            case ANY_TIME -> {
                NodeProcess.pause(Duration.ofMillis(random.nextInt(4_000)));
                node.sigkill();
            }
        }
        node.awaitDeath();
        return "kill after " + moved() + " moved";
    }

    private int moved() {
        return BUSY.stream().mapToInt(id -> bed.count(address(id), ProcessFixture.ACCEPTED) + bed.count(address(id), REFUSED))
                .sum();
    }

    private void assertEveryMessageIsExactlyOneOutcomeAndTheFoldersAgree(String mailbox, List<Message> delivered,
            String run) {
        Map<String, List<String>> expected = new TreeMap<>();
        Map<String, Integer> inAccepted = new HashMap<>();
        Map<String, Integer> inRefused = new HashMap<>();
        for (Message m : delivered) {
            expected.computeIfAbsent(m.messageId(), k -> new ArrayList<>()).add(m.outcome().name());
            (m.outcome().accepted() ? inAccepted : inRefused).merge(m.messageId(), 1, Integer::sum);
        }
        expected.values().forEach(list -> list.sort(null));
        assertThat(bed.ledger().outcomesPerMessageId(mailbox)).as("%s: outcomes per Message-ID (%s)", mailbox, run)
                .isEqualTo(expected);
        String address = address(mailbox);
        assertThat(bed.messageIds(address, "INBOX")).as("%s: left in INBOX", mailbox).isEmpty();
        assertThat(bed.messageIds(address, ProcessFixture.ACCEPTED)).as("%s: accepted folder (%s)", mailbox, run)
                .isEqualTo(inAccepted);
        assertThat(bed.messageIds(address, REFUSED)).as("%s: refused folder (%s)", mailbox, run).isEqualTo(inRefused);
    }

    private static long count(Map<String, List<Message>> delivered, Outcome outcome) {
        return delivered.values().stream().flatMap(List::stream).filter(m -> m.outcome() == outcome).count();
    }

    private void deliver(Map<String, MixedCorpus> corpora, Map<String, List<Message>> delivered, int each) {
        corpora.forEach((id, corpus) -> {
            for (Message m : corpus.next(each)) {
                bed.deliver(address(id), m.raw());
                delivered.get(id).add(m);
            }
        });
    }

    private void authorize(NodeProcess node, String mailbox, String provider) {
        bed.signingInAs(provider, address(mailbox));
        Browser.Page page = CrossNodeSignIn.authorize(mailbox, node, node);
        assertThat(page.body()).contains("Mailbox authorized");
    }

    private static String address(String mailboxId) {
        return mailboxId + "@contoso.com";
    }

    /** Calls back when a message is added to a folder (GreenMail calls it while it executes the MOVE). */
    private record MoveListener(Runnable onAdd) implements FolderListener {
        @Override
        public void expunged(int msn) {
        }

        @Override
        public void added(int msn) {
            onAdd.run();
        }

        @Override
        public void flagsUpdated(int msn, jakarta.mail.Flags flags, Long uid) {
        }

        @Override
        public void mailboxDeleted() {
        }
    }
}
