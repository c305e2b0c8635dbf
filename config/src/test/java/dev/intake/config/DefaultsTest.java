package dev.intake.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DefaultsTest {

    @Test
    void localKeyFileLivesBesideTheH2DatabaseFile() {
        assertThat(Defaults.localKeyFile("jdbc:h2:file:./data/intake")).isEqualTo(Path.of("./data/intake.key"));
        assertThat(Defaults.localKeyFile("jdbc:h2:./db/tickets;AUTO_SERVER=TRUE")).isEqualTo(Path.of("./db/intake.key"));
        assertThat(Defaults.localKeyFile("jdbc:h2:file:/var/lib/intake/db")).isEqualTo(Path.of("/var/lib/intake/intake.key"));
        assertThat(Defaults.localKeyFile("jdbc:h2:~/intake"))
                .isEqualTo(Path.of(System.getProperty("user.home"), "intake.key"));
    }

    @Test
    void localKeyFileFallsBackWhenTheDatabaseIsNoLocalFile() {
        assertThat(Defaults.localKeyFile("jdbc:h2:mem:test")).isEqualTo(Defaults.LOCAL_KEY_FILE);
        assertThat(Defaults.localKeyFile("jdbc:h2:tcp://db/intake")).isEqualTo(Defaults.LOCAL_KEY_FILE);
        assertThat(Defaults.localKeyFile("jdbc:postgresql://db/intake")).isEqualTo(Defaults.LOCAL_KEY_FILE);
    }

    @Test
    void postActionMovesOnlyWhenThereIsAFolderToMoveTo() {
        assertThat(Defaults.postAction(true)).isEqualTo(PostAction.MOVE);
        assertThat(Defaults.postAction(false)).isEqualTo(PostAction.SEEN);
    }

    @Test
    void unknownKeySuggestionsCatchTyposAndOtherSpellingsButNotOtherWords() {
        var known = MailboxesReader.KEYS;

        assertThat(KeySuggestions.closest("adress", known)).contains("address");
        assertThat(KeySuggestions.closest("max_per_run", known)).contains("max-per-run");
        assertThat(KeySuggestions.closest("maxMessageSize", known)).contains("max-message-size");
        assertThat(KeySuggestions.closest("colour", known)).isEmpty();
        assertThat(KeySuggestions.closest("x", known)).isEmpty();
    }
}
