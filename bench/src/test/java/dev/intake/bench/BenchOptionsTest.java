package dev.intake.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    static final Path BENCH = Path.of("/tmp/bench");

    @Test
    void theDefaultsAreTheIssues() {
        BenchOptions o = BenchOptions.parse(new String[0], BENCH);

        assertThat(o.corpus().count()).isEqualTo(5000);
        assertThat(o.corpus().describe()).startsWith("80% small 2KB-20KB, 15% with an attachment 100KB-2MB, 5% replies");
        assertThat(o.largeMessageBytes()).isEqualTo(50L * 1024 * 1024);
        assertThat(o.scaleMailboxes()).isEqualTo(1000);
        assertThat(o.scaleMessages()).isEqualTo(20);
        assertThat(o.imapServer()).isEqualTo("dovecot");
        assertThat(o.latencySamples()).isEqualTo(20);
        assertThat(o.intakeHeap()).isEqualTo("256m");
        assertThat(o.scenarios()).containsExactlyElementsOf(BenchOptions.ALL_SCENARIOS);
        assertThat(o.resultsFile()).isEqualTo(BENCH.resolve("RESULTS.md"));
    }

    @Test
    void optionsChangeTheRun() {
        BenchOptions o = BenchOptions.parse(new String[] {"--count", "800", "--mix", "70,20,10", "--scale", "10x5",
                "--scenarios", "throughput,latency", "--time-limit", "3m", "--no-results"}, BENCH);

        assertThat(o.corpus().count()).isEqualTo(800);
        assertThat(o.corpus().attachShare()).isEqualTo(20);
        assertThat(o.scaleMailboxes()).isEqualTo(10);
        assertThat(o.scenarios()).containsExactly("throughput", "latency");
        assertThat(o.timeLimit()).isEqualTo(Duration.ofMinutes(3));
        assertThat(o.appendResults()).isFalse();
        assertThat(o.describe()).contains("--count 800", "--mix 70,20,10", "--scenarios throughput,latency");
    }

    @Test
    void aMistakeNamesTheOption() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--cuont", "5"}, BENCH)).hasMessageContaining("--cuont");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--count", "many"}, BENCH)).hasMessageContaining("--count");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--scenarios", "speed"}, BENCH))
                .hasMessageContaining("speed").hasMessageContaining("throughput");
    }
}
