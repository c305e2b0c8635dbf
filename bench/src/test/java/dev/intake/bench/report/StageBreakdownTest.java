package dev.intake.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.intake.app.mail.MailParser;
import dev.intake.app.mail.ParseLimits;
import dev.intake.bench.corpus.Corpus;
import dev.intake.bench.corpus.CorpusSpec;
import dev.intake.bench.corpus.MessagePlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The breakdown reads a real recording: samples of the named thread only, sorted into Intake's stages. */
class StageBreakdownTest {

    @TempDir
    Path dir;

    @Test
    void samplesOfTheNamedThreadAreSortedByIntakeStage() throws Exception {
        Corpus corpus = Corpus.plan(CorpusSpec.standard().withCount(40).withMix(100, 0, 0), "s@bench.example", "jfr");
        List<byte[]> mails = corpus.messages().stream().map(corpus::render).toList();
        MailParser parser = new MailParser();
        Path file = dir.resolve("test.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            Thread parsing = new Thread(() -> {
                long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
                while (System.nanoTime() < until) {
                    for (byte[] mail : mails) {
                        parser.parse(mail, new ParseLimits(1024 * 1024)).close();
                    }
                }
            }, "stage-test-parser");
            parsing.start();
            parsing.join();
            recording.stop();
            recording.dump(file);
        }

        StageBreakdown stages = StageBreakdown.read(file, "stage-test");

        assertThat(stages.samples()).isGreaterThan(10);
        assertThat(stages.byStage().keySet()).allSatisfy(stage -> assertThat(stage).isIn(
                "MIME parsing and decoding", "HTML sanitizing and HTML to text", "collector's own loop and bookkeeping"));
        assertThat(stages.byStage()).containsKey("MIME parsing and decoding");
        assertThat(StageBreakdown.read(file, "no-such-thread").samples()).isZero();
        assertThat(stages.table(1.5)).contains("| MIME parsing and decoding |", "samples of the collecting thread");
    }
}
