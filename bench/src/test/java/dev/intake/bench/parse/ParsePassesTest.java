package dev.intake.bench.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.intake.bench.corpus.CorpusSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsePassesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void printsOnePassPerLineWithTheWholeCorpusParsedAndNothingMalformed() throws Exception {
        CorpusSpec spec = CorpusSpec.standard().withCount(40).withMix(60, 30, 10);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ParsePasses.run(JSON.readValue(JSON.writeValueAsString(spec), CorpusSpec.class), 2,
                new PrintStream(out, true, StandardCharsets.UTF_8));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode pass = JSON.readTree(lines.get(i));
            assertThat(pass.get("pass").asInt()).isEqualTo(i + 1);
            assertThat(pass.get("messages").asInt()).isEqualTo(40);
            assertThat(pass.get("bytes").asLong()).as("an attachment of at least 100 KB is in the corpus")
                    .isGreaterThan(100_000);
            assertThat(pass.get("cpuNanos").asLong()).isPositive();
            assertThat(pass.get("malformed").asInt()).isZero();
        }
    }
}
