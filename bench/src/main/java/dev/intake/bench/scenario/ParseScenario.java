package dev.intake.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.bench.ChildProcesses;
import dev.intake.bench.parse.ParsePasses;
import dev.intake.bench.report.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Intake's mail parser alone ({@link ParsePasses}) over the throughput corpus, in a fresh JVM with the node's heap
 * and garbage collector: the CPU a change to parsing saves, measured without the noise of the IMAP server, the
 * database and the JIT compiler of a whole node sharing two cores. Informational: no target.
 */
public final class ParseScenario {

    /** The first pass is a cold JVM's; the best of the others is a warm one's. */
    static final int PASSES = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Lab lab;

    public ParseScenario(Lab lab) {
        this.lab = lab;
    }

    public void run(Path dir, Report report) throws Exception {
        Files.createDirectories(dir);
        List<JsonNode> passes = runPasses(dir);
        JsonNode first = passes.get(0);
        JsonNode best = passes.stream().skip(1)
                .min((a, b) -> Long.compare(a.get("cpuNanos").asLong(), b.get("cpuNanos").asLong()))
                .orElse(first);
        String what = "Parsing alone (MailParser on one thread, no IMAP, no database), " + first.get("messages").asInt()
                + " messages of the throughput corpus";
        report.row(what + ", first pass in a fresh JVM", describe(first));
        report.row(what + ", best of passes 2-" + passes.size(), describe(best));
        long malformed = passes.stream().mapToLong(p -> p.get("malformed").asLong()).sum();
        report.row("Parsing alone: messages read as malformed (expected 0)", Long.toString(malformed), "0",
                malformed == 0);
    }

    private static String describe(JsonNode pass) {
        double cpu = pass.get("cpuNanos").asLong() / 1e9;
        return "CPU " + Report.seconds(cpu) + ": " + Report.rate(pass.get("messages").asLong(), pass.get("bytes").asLong(),
                cpu) + " per core";
    }

    private List<JsonNode> runPasses(Path dir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+ExitOnOutOfMemoryError", "-XX:+UseParallelGC", "-Xmx" + lab.options().intakeHeap(),
                "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"), ParsePasses.class.getName(),
                JSON.writeValueAsString(lab.options().corpus()), Integer.toString(PASSES)));
        Path log = dir.resolve("parse.log");
        Path out = dir.resolve("parse.out");
        // Output to a file, not a pipe read to its end: the wait below, bounded by --time-limit, is then the only one.
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        ChildProcesses.register(process);
        boolean ended = process.waitFor(lab.remaining().toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            ChildProcesses.stop(process, 5);
            throw new IOException("the parsing passes did not end before the time limit (--time-limit); see " + log);
        }
        if (process.exitValue() != 0) {
            // The JVM reports a failure to start (a heap too small, say) on standard output
            throw new IOException("the parsing passes failed with exit code " + process.exitValue() + "; see " + log
                    + " and " + out);
        }
        List<JsonNode> passes = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            passes.add(JSON.readTree(line));
        }
        if (passes.size() != PASSES) {
            throw new IOException("the parsing passes printed " + passes.size() + " of " + PASSES + " passes; see " + out);
        }
        return passes;
    }
}
