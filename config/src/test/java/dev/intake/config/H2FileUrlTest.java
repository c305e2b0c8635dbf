package dev.intake.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class H2FileUrlTest {

    @Test
    void fileUrlsInEveryWrittenFormAreOpenedOnTheAsyncFileSystemWithCommitsWrittenAtOnceAndStatementsAndPagesCached() {
        assertThat(H2FileUrl.parse("jdbc:h2:file:./data/intake").orElseThrow().jdbcUrl())
                .isEqualTo("jdbc:h2:async:./data/intake;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;CACHE_SIZE=32768;WRITE_DELAY=0");
        assertThat(H2FileUrl.parse("jdbc:h2:./db/tickets;MODE=PostgreSQL").orElseThrow().jdbcUrl())
                .isEqualTo("jdbc:h2:async:./db/tickets;MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;CACHE_SIZE=32768;WRITE_DELAY=0");
        assertThat(H2FileUrl.parse("jdbc:h2:async:/var/lib/intake/db;DB_CLOSE_ON_EXIT=TRUE;query_cache_size=16;Cache_Size=8192")
                .orElseThrow().jdbcUrl())
                .isEqualTo("jdbc:h2:async:/var/lib/intake/db;DB_CLOSE_ON_EXIT=TRUE;query_cache_size=16;Cache_Size=8192;WRITE_DELAY=0");
        assertThat(H2FileUrl.parse("jdbc:h2:./x;CACHE_SIZE=65536").orElseThrow().jdbcUrl())
                .as("a written page cache, and the statement cache added")
                .isEqualTo("jdbc:h2:async:./x;CACHE_SIZE=65536;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;WRITE_DELAY=0");
        assertThat(H2FileUrl.parse("jdbc:h2:~/intake").orElseThrow().location())
                .isEqualTo(Path.of(System.getProperty("user.home"), "intake"));
    }

    @Test
    void otherH2FormsAndOtherDatabasesAreNoFileDatabase() {
        for (String url : List.of("jdbc:h2:mem:x", "jdbc:h2:tcp://db/intake", "jdbc:h2:nio:./x", "jdbc:h2:split:./x",
                "jdbc:h2:file:", "jdbc:postgresql://db/intake")) {
            assertThat(H2FileUrl.parse(url)).as(url).isEmpty();
        }
    }

    @Test
    void settingsIntakeDecidesAreFoundWhateverTheirCase() {
        assertThat(H2FileUrl.parse("jdbc:h2:./x;write_delay=10;MODE=PostgreSQL").orElseThrow().ownSettingsWritten())
                .containsExactly("WRITE_DELAY");
        assertThat(H2FileUrl.parse("jdbc:h2:./x;MODE=PostgreSQL").orElseThrow().ownSettingsWritten()).isEmpty();
    }
}
