package dev.intake.bench.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.app.Intake;
import dev.intake.app.collect.PollSummary;
import dev.intake.app.store.Database;
import dev.intake.bench.ParentWatch;
import dev.intake.config.ConfigLoader;
import dev.intake.config.MailboxConfig;
import dev.intake.config.ReloadingConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * An Intake node under measurement, in a JVM of its own (so that its heap and RSS are Intake's alone): started the
 * way {@code intake run} starts it, from a collector.yaml, then driven by the benchmark through one-line commands
 * on standard input. Answers are single lines on standard output starting with {@value #MARK}; everything else
 * there is Intake's own log.
 *
 * <p>Arguments: the benchmark's process id, the collector.yaml.
 */
public final class IntakeNode {

    static final String MARK = "@@BENCH ";
    /**
     * The thread that runs one "poll", started for it alone: the profile's stage breakdown looks at this thread (and at
     * Intake's parse pool), never at the command loop, whose waits for the next command are not collection.
     */
    public static final String POLL_THREAD = "bench-poll";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Intake intake;
    private final MemoryWatch memory;
    /** The benchmark counts what the node stored itself, beside it (an H2 file opened twice in one JVM is one database). */
    private final Jdbi stored;

    private IntakeNode(Intake intake, MemoryWatch memory, Jdbi stored) {
        this.intake = intake;
        this.memory = memory;
        this.stored = stored;
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.start(Long.parseLong(args[0]));
        MemoryWatch memory = MemoryWatch.install();
        ReloadingConfig config = new ReloadingConfig(new ConfigLoader(System::getenv), Path.of(args[1]));
        Intake intake = Intake.start(config, Clock.systemUTC());
        IntakeNode node = new IntakeNode(intake, memory, Database.open(config.current().database()).jdbi());
        reply(Map.of("ok", true, "port", intake.port(), "pid", ProcessHandle.current().pid()));
        Thread commands = new Thread(node::serve, "bench-commands");
        commands.start();
        commands.join();
        intake.close();
        System.exit(0);
    }

    private void serve() {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.trim().split(" ");
                if (words[0].equals("stop")) {
                    intake.close();
                    reply(Map.of("ok", true));
                    System.exit(0);
                }
                try {
                    reply(handle(words));
                } catch (Exception | OutOfMemoryError e) {
                    reply(Map.of("ok", false, "error", e.getClass().getSimpleName() + ": " + e.getMessage()));
                }
            }
        } catch (Exception e) {
            // Uncaught, it ends this thread with its stack trace on standard error, which is the node's log.
            throw new IllegalStateException("the node's command loop failed", e);
        }
    }

    private Map<String, Object> handle(String[] words) throws Exception {
        return switch (words[0]) {
            case "poll" -> onPollThread(() -> poll(words[1], Integer.parseInt(words[2])));
            case "counts" -> counts();
            case "attachments" -> attachments();
            case "memory" -> withOk(memory.snapshot());
            case "await-message" -> awaitMessage(words[1], Long.parseLong(words[2]));
            case "await-total" -> awaitTotal(Long.parseLong(words[1]), Long.parseLong(words[2]));
            case "await-idling" -> awaitIdling(Integer.parseInt(words[1]), Long.parseLong(words[2]));
            case "cpu" -> cpu();
            case "await-jit-quiet" -> awaitJitQuiet(Long.parseLong(words[1]));
            case "heap-after-gc" -> heapAfterGc();
            default -> throw new IllegalArgumentException("unknown command " + words[0]);
        };
    }

    /** Runs a poll on a thread of its own, named so that the recording can single it out. */
    private static Map<String, Object> onPollThread(java.util.concurrent.Callable<Map<String, Object>> poll)
            throws Exception {
        java.util.concurrent.FutureTask<Map<String, Object>> task = new java.util.concurrent.FutureTask<>(poll);
        Thread thread = new Thread(task, POLL_THREAD);
        thread.start();
        try {
            return task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Waits until the JIT compiler has been quiet for a second (under 20 ms of compiling), at most {@code maxMillis}:
     * what a node that has served for a while looks like, its compile queue drained. A fresh JVM keeps compiling for
     * tens of seconds after a first corpus, on a core the collection would otherwise have.
     */
    private Map<String, Object> awaitJitQuiet(long maxMillis) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + maxMillis * 1_000_000;
        boolean quiet = false;
        while (!quiet && System.nanoTime() < deadline) {
            long before = JvmWork.now().jitMillis();
            Thread.sleep(1000);
            quiet = JvmWork.now().jitMillis() - before < 20;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", true);
        r.put("quiet", quiet);
        r.put("waitedMillis", (System.nanoTime() - started) / 1_000_000);
        return r;
    }

    /**
     * Collects the mailbox through {@code CollectionService.poll} (what {@code intake poll} and "Poll now" run) until a
     * run finds nothing more, at most {@code maxPolls} runs.
     */
    private Map<String, Object> poll(String mailboxId, int maxPolls) throws Exception {
        MailboxConfig mailbox = intake.currentConfig().mailbox(mailboxId)
                .orElseThrow(() -> new IllegalArgumentException("no mailbox " + mailboxId));
        long fetched = 0;
        long tickets = 0;
        long followups = 0;
        long duplicates = 0;
        long failed = 0;
        long refused = 0;
        int polls = 0;
        JvmWork before = JvmWork.now();
        long started = System.nanoTime();
        while (polls < maxPolls) {
            PollSummary s = intake.collection().poll(mailbox, () -> false);
            polls++;
            fetched += s.fetched();
            tickets += s.tickets();
            followups += s.followups();
            duplicates += s.duplicates();
            failed += s.failed();
            refused += s.refusedTotal();
            if (s.fetched() == 0) {
                break;
            }
        }
        long nanos = System.nanoTime() - started;
        JvmWork work = JvmWork.now().minus(before);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", true);
        r.put("nanos", nanos);
        r.put("jitMillis", work.jitMillis());
        r.put("gcMillis", work.gcMillis());
        r.put("polls", polls);
        r.put("fetched", fetched);
        r.put("tickets", tickets);
        r.put("followups", followups);
        r.put("duplicates", duplicates);
        r.put("failed", failed);
        r.put("refused", refused);
        return r;
    }

    private Map<String, Object> counts() {
        Jdbi jdbi = stored;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", true);
        jdbi.useHandle(h -> {
            h.createQuery("SELECT outcome, COUNT(*) FROM processed_message GROUP BY outcome")
                    .map((rs, ctx) -> Map.entry(rs.getString(1).toLowerCase(Locale.ROOT), rs.getLong(2)))
                    .forEach(e -> r.put(e.getKey(), e.getValue()));
            r.put("processed", h.createQuery("SELECT COUNT(*) FROM processed_message").mapTo(Long.class).one());
            r.put("pending", h.createQuery("SELECT COUNT(*) FROM processed_message WHERE post_action_pending = TRUE")
                    .mapTo(Long.class).one());
            r.put("runs", h.createQuery("SELECT COUNT(*) FROM poll_run").mapTo(Long.class).one());
            r.put("failedRuns", h.createQuery("SELECT COUNT(*) FROM poll_run WHERE outcome = 'failed'")
                    .mapTo(Long.class).one());
            r.put("runsWithMail", h.createQuery("SELECT COUNT(*) FROM poll_run WHERE fetched > 0").mapTo(Long.class).one());
            r.put("reconciled", h.createQuery("SELECT COUNT(*) FROM reconciliation").mapTo(Long.class).one());
            // Each check opens an IMAP connection of its own, beside the runs'.
            r.put("reconciledByThisNode", h.createQuery("SELECT COUNT(*) FROM reconciliation WHERE checked_at >= :start")
                    .bind("start", java.time.Instant.ofEpochMilli(
                            java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()))
                    .mapTo(Long.class).one());
        });
        return r;
    }

    private Map<String, Object> attachments() {
        return stored.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*), COALESCE(SUM(size_bytes), 0), COALESCE(MAX(size_bytes), 0) FROM attachment")
                .map((rs, ctx) -> Map.<String, Object>of("ok", true, "count", rs.getLong(1), "bytes", rs.getLong(2),
                        "largest", rs.getLong(3)))
                .one());
    }

    /** Waits until a message with this Message-ID is committed; answers the wall-clock time it was first seen. */
    private Map<String, Object> awaitMessage(String messageId, long timeoutMillis) throws InterruptedException {
        Jdbi jdbi = stored;
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            long n = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM processed_message WHERE message_id = :id")
                    .bind("id", messageId).mapTo(Long.class).one());
            if (n > 0) {
                return Map.of("ok", true, "seenAt", System.currentTimeMillis());
            }
            Thread.sleep(5);
        }
        return Map.of("ok", true, "seenAt", -1L);
    }

    /** Waits until {@code total} messages are committed and their post-actions done. */
    private Map<String, Object> awaitTotal(long total, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            Map<String, Object> c = counts();
            if ((Long) c.get("processed") >= total && (Long) c.get("pending") == 0) {
                c.put("seenAt", System.currentTimeMillis());
                return c;
            }
            Thread.sleep(50);
        }
        Map<String, Object> c = counts();
        c.put("seenAt", -1L);
        return c;
    }

    /** Waits until {@code count} mailboxes are idling (IMAP IDLE established), as the status page would say. */
    private Map<String, Object> awaitIdling(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        long idling = 0;
        while (System.nanoTime() < deadline) {
            idling = intake.statuses().all().stream()
                    .filter(s -> s.idle().map(i -> i.state().equals("idling")).orElse(false)).count();
            if (idling >= count) {
                return Map.of("ok", true, "idling", idling, "seenAt", System.currentTimeMillis());
            }
            Thread.sleep(100);
        }
        return Map.of("ok", true, "idling", idling, "seenAt", -1L);
    }

    /** CPU time this process has used so far (all threads), and its live threads. */
    private static Map<String, Object> cpu() {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return Map.of("ok", true, "cpuNanos", os.getProcessCpuTime(), "at", System.nanoTime(), "threads",
                java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount());
    }

    /** The heap in use after a full collection: what the node keeps alive. */
    private static Map<String, Object> heapAfterGc() {
        System.gc();
        return Map.of("ok", true, "heapAfterGc",
                java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    private static Map<String, Object> withOk(Map<String, Object> m) {
        Map<String, Object> r = new LinkedHashMap<>(m);
        r.put("ok", true);
        return r;
    }

    private static void reply(Map<String, Object> answer) throws Exception {
        String line = MARK + JSON.writeValueAsString(answer);
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
