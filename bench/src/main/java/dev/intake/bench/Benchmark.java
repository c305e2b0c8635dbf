package dev.intake.bench;

import dev.intake.bench.report.MachineFacts;
import dev.intake.bench.report.Report;
import dev.intake.bench.scenario.IdleLatencyScenario;
import dev.intake.bench.scenario.IdleScaleScenario;
import dev.intake.bench.scenario.Lab;
import dev.intake.bench.scenario.LatencyScenario;
import dev.intake.bench.scenario.MemoryScenario;
import dev.intake.bench.scenario.ParseScenario;
import dev.intake.bench.scenario.ScaleScenario;
import dev.intake.bench.scenario.ThroughputScenario;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The ingest benchmark: throughput against the raw fetch limit of the same run, memory with one very large message,
 * scale with many mailboxes, and latency of a single message. Prints one table and appends it, with the date and
 * the machine, to {@code bench/RESULTS.md}. Run it with {@code bench/run}; see the README's "Benchmark" section.
 *
 * <p>Exit code 0 when every scenario ran (targets missed are reported in the table, not as failures), 1 when a
 * scenario failed, 2 for bad options.
 */
public final class Benchmark {

    private static final String MARKER = ".intake-bench";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path benchDir = Path.of(System.getProperty("intake.bench.dir", "bench")).toAbsolutePath().normalize();
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, benchDir);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Path greenMail = benchDir.resolve("target/server/greenmail-standalone.jar");
        if (!Files.isRegularFile(greenMail)) {
            System.err.println("GreenMail's runnable jar is missing (" + greenMail + "); bench/run builds it.");
            System.exit(2);
        }
        prepare(options.workDir());
        ChildProcesses.writePidsTo(Path.of(System.getProperty("intake.bench.pidfile",
                options.workDir().resolve("children.pid").toString())));

        Instant started = Instant.now();
        MachineFacts machine = MachineFacts.read();
        Report report = new Report();
        report.header("## " + WHEN.format(started));
        report.header("");
        report.header("`bench/run " + options.describe() + "`" + (options.note().isBlank() ? "" : " — " + options.note()));
        report.header("");
        report.header("Machine: " + machine.describe() + ".");
        report.header("Intake's database: " + options.postgresServer().map(s -> "PostgreSQL at " + s + " (a database per scenario)")
                .orElse("embedded H2 (a file per scenario)") + ".");
        // Closing the lab drops the PostgreSQL databases of --postgres, whatever happened to the scenarios.
        try (Lab lab = new Lab(options, started.plus(options.timeLimit()), greenMail)) {
            for (String scenario : options.scenarios()) {
                Path dir = options.workDir().resolve(scenario);
                System.err.println("[bench] " + scenario + " ... (logs in " + dir + ")");
                long t0 = System.nanoTime();
                try {
                    Files.createDirectories(dir);
                    switch (scenario) {
                        case "throughput" -> new ThroughputScenario(lab).run(dir, report);
                        case "parse" -> new ParseScenario(lab).run(dir, report);
                        case "memory" -> new MemoryScenario(lab).run(dir, report);
                        case "scale" -> new ScaleScenario(lab).run(dir, report);
                        case "latency" -> new LatencyScenario(lab).run(dir, report);
                        case "idle-latency" -> new IdleLatencyScenario(lab).run(dir, report);
                        case "idle-scale" -> new IdleScaleScenario(lab).run(dir, report);
                        default -> throw new IllegalArgumentException(scenario);
                    }
                } catch (Exception | OutOfMemoryError e) {
                    String message = String.valueOf(e.getMessage());
                    report.failure(scenario, e.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse(""));
                    e.printStackTrace();
                }
                System.err.printf("[bench] %s done in %.0f s%n", scenario, (System.nanoTime() - t0) / 1e9);
            }
        }
        report.header("");
        report.header(String.format("Whole run: %.1f min; load average at the end %s.",
                (Instant.now().toEpochMilli() - started.toEpochMilli()) / 60_000.0, MachineFacts.currentLoadAverage()));
        String table = report.markdown();
        System.out.println();
        System.out.println(table);
        if (options.appendResults()) {
            Files.writeString(options.resultsFile(), "\n" + table, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            System.err.println("[bench] appended to " + options.resultsFile());
        }
        System.exit(report.anyFailure() ? 1 : 0);
    }

    /** The scratch directory starts empty; one the benchmark did not make itself is never emptied. */
    private static void prepare(Path work) throws IOException {
        if (Files.isDirectory(work)) {
            boolean ours = Files.exists(work.resolve(MARKER));
            try (Stream<Path> entries = Files.list(work)) {
                if (!ours && entries.findAny().isPresent()) {
                    throw new IOException(work + " is not empty and was not made by the benchmark; choose another --work");
                }
            }
            try (Stream<Path> all = Files.walk(work)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    if (!p.equals(work)) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(work);
        Files.writeString(work.resolve(MARKER), "scratch directory of bench/run; emptied by the next run\n");
    }
}
