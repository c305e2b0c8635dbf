package dev.intake.bench;

import dev.intake.bench.corpus.CorpusSpec;
import dev.intake.config.ByteSizes;
import dev.intake.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The benchmark's options. Defaults are the issues': 5,000 messages at 80/15/5, one 50 MB message, 1,000 mailboxes of
 * 20 messages, 20 latency samples, Intake at -Xmx256m.
 */
public record BenchOptions(
        CorpusSpec corpus,
        Set<String> scenarios,
        long largeMessageBytes,
        int scaleMailboxes,
        int scaleMessages,
        int latencySamples,
        int idleSamples,
        int idleMailboxes,
        String intakeHeap,
        String serverHeap,
        Duration timeLimit,
        Path workDir,
        Path resultsFile,
        boolean appendResults,
        String note,
        Optional<String> postgresServer,
        String imapServer) {

    /** The production server the single-mailbox scenarios measure against, and the in-memory alternative. */
    public static final List<String> IMAP_SERVERS = List.of("dovecot", "greenmail");

    public static final List<String> ALL_SCENARIOS = List.of("throughput", "parse", "memory", "scale", "latency",
            "idle-latency", "idle-scale");

    static final String USAGE = """
            Usage: bench/run [options]
              --count N               messages in the throughput corpus (default 5000)
              --mix S,A,R             percent small, with attachment, replies (default 80,15,5)
              --small-size MIN-MAX    size of small messages (default 2KB-20KB)
              --attachment-size MIN-MAX  attachment sizes, log-uniform (default 100KB-2MB)
              --seed N                corpus seed (default 42)
              --large-message SIZE    the memory scenario's single message (default 50MB)
              --scale MxN             M mailboxes of N messages (default 1000x20)
              --latency-samples N     samples for the latency median (default 20)
              --idle-samples N        samples of the IMAP IDLE latency (default 50)
              --idle-mailboxes N      mailboxes idling on one node for the idle cost (default 200)
              --scenarios LIST        any of throughput,parse,memory,scale,latency,idle-latency,idle-scale
                                      (default all)
              --quick                 a smoke run: 500 messages, 20MB message, 20x10 mailboxes, 5 samples,
                                      10 IDLE samples, 20 idling mailboxes
              --intake-heap SIZE      the Intake node's -Xmx (default 256m)
              --server NAME           dovecot (default: Debian's dovecot-imapd, which bench/run installs) or
                                      greenmail; the scale and idle-scale scenarios always use GreenMail
              --server-heap SIZE      GreenMail's -Xmx (default 3g; it keeps all mail in memory)
              --time-limit DURATION   stop and fail after this long (default 40m)
              --work DIR              scratch directory (default bench/target/run)
              --results FILE          where the table is appended (default bench/RESULTS.md)
              --no-results            print the table only
              --note TEXT             a line to keep with the results (what changed, why this run)
              --postgres SERVER       nodes store in a throwaway database on this PostgreSQL server instead of an
                                      H2 file, e.g. jdbc:postgresql://127.0.0.1:5432/ (user postgres, trust auth)
            """;

    static BenchOptions defaults(Path benchDir) {
        return new BenchOptions(CorpusSpec.standard(), new LinkedHashSet<>(ALL_SCENARIOS), 50L * 1024 * 1024, 1000, 20, 20,
                50, 200, "256m", "3g", Duration.ofMinutes(40), benchDir.resolve("target/run"), benchDir.resolve("RESULTS.md"),
                true, "", Optional.empty(), "dovecot");
    }

    /** @throws IllegalArgumentException with the usage for an unknown or malformed option */
    static BenchOptions parse(String[] args, Path benchDir) {
        BenchOptions o = defaults(benchDir);
        CorpusSpec corpus = o.corpus;
        Set<String> scenarios = o.scenarios;
        long large = o.largeMessageBytes;
        int mailboxes = o.scaleMailboxes;
        int perMailbox = o.scaleMessages;
        int samples = o.latencySamples;
        int idleSamples = o.idleSamples;
        int idleMailboxes = o.idleMailboxes;
        String intakeHeap = o.intakeHeap;
        String serverHeap = o.serverHeap;
        Duration limit = o.timeLimit;
        Path work = o.workDir;
        Path results = o.resultsFile;
        boolean append = o.appendResults;
        String note = o.note;
        Optional<String> postgres = o.postgresServer;
        String imapServer = o.imapServer;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            try {
                switch (a) {
                    case "--count" -> corpus = corpus.withCount(Integer.parseInt(value(args, ++i, a)));
                    case "--mix" -> corpus = corpus.withMix(value(args, ++i, a));
                    case "--small-size" -> corpus = corpus.withSmall(CorpusSpec.SizeRange.parse(value(args, ++i, a)));
                    case "--attachment-size" -> corpus = corpus.withAttachment(CorpusSpec.SizeRange.parse(value(args, ++i, a)));
                    case "--seed" -> corpus = corpus.withSeed(Long.parseLong(value(args, ++i, a)));
                    case "--large-message" -> large = ByteSizes.parse(value(args, ++i, a));
                    case "--scale" -> {
                        String[] mn = value(args, ++i, a).toLowerCase(Locale.ROOT).split("x");
                        mailboxes = Integer.parseInt(mn[0]);
                        perMailbox = Integer.parseInt(mn[1]);
                    }
                    case "--latency-samples" -> samples = Integer.parseInt(value(args, ++i, a));
                    case "--idle-samples" -> idleSamples = Integer.parseInt(value(args, ++i, a));
                    case "--idle-mailboxes" -> idleMailboxes = Integer.parseInt(value(args, ++i, a));
                    case "--scenarios" -> {
                        scenarios = new LinkedHashSet<>();
                        for (String s : value(args, ++i, a).split(",")) {
                            if (!ALL_SCENARIOS.contains(s.trim())) {
                                throw new IllegalArgumentException("unknown scenario '" + s + "'; choose from " + ALL_SCENARIOS);
                            }
                            scenarios.add(s.trim());
                        }
                    }
                    case "--quick" -> {
                        corpus = corpus.withCount(500);
                        large = 20L * 1024 * 1024;
                        mailboxes = 20;
                        perMailbox = 10;
                        samples = 5;
                        idleSamples = 10;
                        idleMailboxes = 20;
                    }
                    case "--intake-heap" -> intakeHeap = value(args, ++i, a);
                    case "--server" -> {
                        imapServer = value(args, ++i, a).toLowerCase(Locale.ROOT);
                        if (!IMAP_SERVERS.contains(imapServer)) {
                            throw new IllegalArgumentException("unknown --server '" + imapServer + "'; choose from " + IMAP_SERVERS);
                        }
                    }
                    case "--server-heap" -> serverHeap = value(args, ++i, a);
                    case "--time-limit" -> limit = Durations.parse(value(args, ++i, a));
                    case "--work" -> work = Path.of(value(args, ++i, a));
                    case "--results" -> results = Path.of(value(args, ++i, a));
                    case "--no-results" -> append = false;
                    case "--note" -> note = value(args, ++i, a);
                    case "--postgres" -> postgres = Optional.of(postgresServer(value(args, ++i, a)));
                    case "--help", "-h" -> throw new IllegalArgumentException("");
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("option " + a + " needs a number, see the usage");
            }
        }
        if (mailboxes < 1 || perMailbox < 1 || samples < 1 || idleSamples < 1 || idleMailboxes < 1) {
            throw new IllegalArgumentException("--scale, --latency-samples, --idle-samples and --idle-mailboxes need"
                    + " positive numbers");
        }
        return new BenchOptions(corpus, scenarios, large, mailboxes, perMailbox, samples, idleSamples, idleMailboxes,
                intakeHeap, serverHeap, limit, work, results, append, note, postgres, imapServer);
    }

    private static String postgresServer(String url) {
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("--postgres takes a server URL such as jdbc:postgresql://127.0.0.1:5432/; was '"
                    + url + "'");
        }
        return url.endsWith("/") ? url : url + "/";
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return args[i];
    }

    /** The command line that reproduces these options, for the results file. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("--count " + corpus.count());
        parts.add("--mix " + corpus.smallShare() + "," + corpus.attachShare() + "," + corpus.replyShare());
        parts.add("--seed " + corpus.seed());
        parts.add("--large-message " + ByteSizes.format(largeMessageBytes));
        parts.add("--scale " + scaleMailboxes + "x" + scaleMessages);
        parts.add("--latency-samples " + latencySamples);
        parts.add("--idle-samples " + idleSamples);
        parts.add("--idle-mailboxes " + idleMailboxes);
        parts.add("--intake-heap " + intakeHeap);
        postgresServer.ifPresent(server -> parts.add("--postgres " + server));
        parts.add("--server " + imapServer);
        if (!scenarios.containsAll(ALL_SCENARIOS)) {
            parts.add("--scenarios " + String.join(",", scenarios));
        }
        return String.join(" ", parts);
    }
}
