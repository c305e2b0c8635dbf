package dev.intake.bench.parse;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.app.mail.MailParser;
import dev.intake.app.mail.ParseLimits;
import dev.intake.app.mail.ParsedMail;
import dev.intake.app.spool.Spool;
import dev.intake.bench.corpus.Corpus;
import dev.intake.bench.corpus.CorpusSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Intake's mail parser alone, on one thread, over the throughput corpus, pass after pass: what parsing costs without
 * IMAP, the database or other threads competing for the cores. Run in a JVM of its own (see the parse scenario), so
 * that the first pass is a cold JVM's. Prints one JSON line per pass.
 *
 * <p>Each message is rendered just before it is parsed (the corpus does not fit the heap under test), and only the
 * parse is counted: the thread's CPU time around {@link MailParser#parse(Spool, ParseLimits)}, which includes what
 * that call spools to temporary files, as on a node.
 */
public final class ParsePasses {

    /** Nothing in the corpus is larger; as on a node whose limits the corpus fits. */
    private static final ParseLimits LIMITS = new ParseLimits(64L * 1024 * 1024);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ParsePasses() {
    }

    /** Arguments: the corpus spec as JSON, the number of passes. */
    public static void main(String[] args) throws IOException {
        CorpusSpec spec = JSON.readValue(args[0], CorpusSpec.class);
        run(spec, Integer.parseInt(args[1]), System.out);
    }

    static void run(CorpusSpec spec, int passes, PrintStream out) throws IOException {
        Corpus corpus = Corpus.plan(spec, "parse@bench.example", "pp");
        MailParser parser = new MailParser();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int pass = 1; pass <= passes; pass++) {
            long cpu = 0;
            long bytes = 0;
            int malformed = 0;
            for (var plan : corpus.messages()) {
                byte[] raw = corpus.render(plan);
                bytes += raw.length;
                long before = threads.getCurrentThreadCpuTime();
                try (ParsedMail mail = parser.parse(Spool.of(raw), LIMITS)) {
                    cpu += threads.getCurrentThreadCpuTime() - before;
                    malformed += mail.malformed() ? 1 : 0;
                }
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("pass", pass);
            line.put("messages", corpus.messages().size());
            line.put("bytes", bytes);
            line.put("cpuNanos", cpu);
            line.put("malformed", malformed);
            out.println(JSON.writeValueAsString(line));
            out.flush();
        }
    }
}
