package dev.intake.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the collecting thread spent its time, from the node's Java Flight Recording: every execution sample
 * (running Java code) and native-method sample (blocked in a socket read, a file write...) of that thread, sorted
 * twice: by Intake stage (the innermost Intake method on the stack that names a stage), and by what the thread was
 * doing at the top of the stack (waiting for the server, TLS, H2, MIME...).
 */
public final class StageBreakdown {

    /**
     * Stages by the Intake method on the stack: the frame nearest the top that one of these names wins, so a database
     * lookup made while threading counts as database, and reading a body inside a consumer counts as the fetch.
     */
    private static final List<Rule> STAGES = List.of(
            new Rule("ch.qos.logback.", "logging (a line per message)"),
            new Rule("dev.intake.app.spool.", "spooling large content to temporary files"),
            new Rule("dev.intake.app.ticket.", "database: tickets, attachments, processed records"),
            new Rule("dev.intake.app.collect.PollRunStore", "database: run log, run lock, mailbox state"),
            new Rule("dev.intake.app.collect.RunLockStore", "database: run log, run lock, mailbox state"),
            new Rule("dev.intake.app.store.", "database: run log, run lock, mailbox state"),
            new Rule("dev.intake.app.collect.PostActions", "IMAP post-actions (MOVE by UID set)"),
            new Rule("dev.intake.app.imap.ImapFolder.moveTo", "IMAP post-actions (MOVE by UID set)"),
            // The work is done in lambdas (ImapFolder.lambda$rawMessages$11): they name their method too.
            new Rule("dev.intake.app.imap.ImapFolder.withRaw", "IMAP bodies streamed in chunks (partial FETCH)"),
            new Rule("dev.intake.app.imap.ImapFolder.lambda$withRaw", "IMAP bodies streamed in chunks (partial FETCH)"),
            new Rule("dev.intake.app.imap.ImapFolder.rawMessages", "IMAP bodies, several per FETCH"),
            new Rule("dev.intake.app.imap.ImapFolder.lambda$rawMessages", "IMAP bodies, several per FETCH"),
            new Rule("dev.intake.app.imap.ImapFolder.lambda$moveTo", "IMAP post-actions (MOVE by UID set)"),
            new Rule("dev.intake.app.imap.ImapFolder.lambda$transfer", "IMAP post-actions (MOVE by UID set)"),
            new Rule("dev.intake.app.imap.ImapFolder.transfer", "IMAP post-actions (MOVE by UID set)"),
            new Rule("dev.intake.app.imap.ImapFolder", "IMAP summaries and UID lists"),
            new Rule("dev.intake.app.imap.", "IMAP connect, TLS, XOAUTH2, SELECT"),
            new Rule("dev.intake.app.mail.HtmlSanitizer", "HTML sanitizing and HTML to text"),
            new Rule("dev.intake.app.mail.HtmlText", "HTML sanitizing and HTML to text"),
            new Rule("dev.intake.app.mail.MailClassifier", "classifying and threading"),
            new Rule("dev.intake.app.mail.ThreadMatcher", "classifying and threading"),
            new Rule("dev.intake.app.mail.", "MIME parsing and decoding"),
            new Rule("dev.intake.app.collect.TicketContents", "MIME parsing and decoding"),
            new Rule("dev.intake.app.oauth.", "access token"));

    /** What the thread was doing, by the top frames. */
    private static final List<Rule> ACTIVITIES = List.of(
            new Rule("sun.nio.ch.Net.poll", "waiting for the network (server answer)"),
            new Rule("sun.nio.ch.SocketDispatcher.read", "waiting for the network (server answer)"),
            new Rule("sun.nio.ch.NioSocketImpl", "waiting for the network (server answer)"),
            new Rule("java.net.SocketInputStream", "waiting for the network (server answer)"),
            new Rule("sun.nio.ch.SocketDispatcher.write", "writing to the network"),
            new Rule("sun.security.ssl.", "TLS record processing and crypto"),
            new Rule("com.sun.crypto.provider.", "TLS record processing and crypto"),
            new Rule("sun.security.provider.SHA", "SHA-256 fingerprints"),
            new Rule("java.util.Base64", "base64 decoding"),
            new Rule("org.eclipse.angus.mail.util.BASE64", "base64 decoding"),
            new Rule("org.h2.", "H2 engine (SQL, MVStore, LOBs)"),
            new Rule("sun.nio.ch.FileDispatcherImpl", "file I/O (H2 file, spool files)"),
            new Rule("sun.nio.ch.FileChannelImpl", "file I/O (H2 file, spool files)"),
            new Rule("java.io.RandomAccessFile", "file I/O (H2 file, spool files)"),
            new Rule("java.io.FileOutputStream", "file I/O (H2 file, spool files)"),
            new Rule("java.io.FileInputStream", "file I/O (H2 file, spool files)"),
            new Rule("org.jsoup.", "jsoup (HTML parse, sanitize)"),
            new Rule("org.eclipse.angus.mail.iap.", "Angus IMAP protocol parsing"),
            new Rule("org.eclipse.angus.mail.imap.", "Angus IMAP protocol parsing"),
            new Rule("jakarta.mail.", "Jakarta Mail MIME parsing"),
            new Rule("org.eclipse.angus.mail.", "Jakarta Mail MIME parsing"),
            new Rule("org.jdbi.", "Jdbi"),
            new Rule("com.zaxxer.hikari.", "Jdbi"),
            new Rule("ch.qos.logback.", "logging"),
            new Rule("java.lang.String", "strings and text"),
            new Rule("java.util.regex.", "strings and text"),
            new Rule("java.io.ByteArray", "copying bytes"),
            new Rule("java.util.Arrays.copyOf", "copying bytes"),
            new Rule("java.lang.System.arraycopy", "copying bytes"));

    /** The period of both sample events in JFR's "default" settings, which the node records with. */
    static final double SAMPLE_PERIOD_SECONDS = 0.020;

    private final Map<String, Integer> byStage;
    private final Map<String, Integer> byActivity;
    private final int samples;

    private StageBreakdown(Map<String, Integer> byStage, Map<String, Integer> byActivity, int samples) {
        this.byStage = byStage;
        this.byActivity = byActivity;
        this.samples = samples;
    }

    /** Reads the samples of the threads whose name starts with one of {@code threadNames} from a recording. */
    public static StageBreakdown read(Path recording, String... threadNames) throws IOException {
        Map<String, Integer> stages = new TreeMap<>();
        Map<String, Integer> activities = new TreeMap<>();
        int samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                    continue;
                }
                RecordedThread t = e.getThread("sampledThread");
                RecordedStackTrace stack = e.getStackTrace();
                if (t == null || stack == null || t.getJavaName() == null
                        || Arrays.stream(threadNames).noneMatch(t.getJavaName()::startsWith)) {
                    continue;
                }
                samples++;
                stages.merge(classify(stack.getFrames(), STAGES, "collector's own loop and bookkeeping", false), 1,
                        Integer::sum);
                activities.merge(classify(stack.getFrames(), ACTIVITIES, "other Java code", true), 1, Integer::sum);
            }
        }
        return new StageBreakdown(sorted(stages), sorted(activities), samples);
    }

    public int samples() {
        return samples;
    }

    /** Share of samples per stage, largest first. */
    public Map<String, Integer> byStage() {
        return byStage;
    }

    public Map<String, Integer> byActivity() {
        return byActivity;
    }

    /**
     * Markdown tables: share and sampled thread-seconds per stage and per activity (several threads collect at once,
     * so these add up to more than the run's {@code elapsedSeconds} when they worked side by side).
     */
    public String table(double elapsedSeconds) {
        double sampled = samples * SAMPLE_PERIOD_SECONDS;
        StringBuilder b = new StringBuilder();
        b.append("| Stage of the collecting threads | Share | ≈ thread-seconds |\n|---|---:|---:|\n");
        rows(b, byStage, sampled);
        b.append("\n| What the threads were doing (top of stack) | Share | ≈ thread-seconds |\n|---|---:|---:|\n");
        rows(b, byActivity, sampled);
        b.append(String.format(Locale.ROOT, "%n%d samples of the collecting threads, the run's and the parse pool's (JFR execution and "
                + "native-method samples, every %.0f ms): %.1f thread-seconds in the run's %.1f s. Shares are of the "
                + "samples; a thread's unsampled time was spent parked (waiting for another), waiting for a CPU (the "
                + "machine is shared), in garbage collection or otherwise inside the JVM.%n",
                samples, SAMPLE_PERIOD_SECONDS * 1000, sampled, elapsedSeconds));
        return b.toString();
    }

    private void rows(StringBuilder b, Map<String, Integer> counts, double elapsed) {
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            double share = samples == 0 ? 0 : e.getValue() / (double) samples;
            b.append(String.format(Locale.ROOT, "| %s | %.1f%% | %.1f |%n", e.getKey(), share * 100, share * elapsed));
        }
    }

    /**
     * The first rule matching a frame, from the top of the stack down. With {@code topOnly}, only the frames above
     * the first Intake frame count (what the thread was doing inside a library), else the whole stack.
     */
    private static String classify(List<RecordedFrame> frames, List<Rule> rules, String fallback, boolean topOnly) {
        for (RecordedFrame f : frames) {
            String name = f.getMethod().getType().getName() + "." + f.getMethod().getName();
            if (topOnly && name.startsWith("dev.intake.")) {
                return "Intake's own code";
            }
            for (Rule r : rules) {
                if (name.startsWith(r.prefix())) {
                    return r.label();
                }
            }
        }
        return fallback;
    }

    private static Map<String, Integer> sorted(Map<String, Integer> counts) {
        Map<String, Integer> result = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }

    private record Rule(String prefix, String label) {
    }
}
