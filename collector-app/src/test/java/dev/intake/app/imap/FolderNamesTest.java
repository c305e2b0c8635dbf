package dev.intake.app.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FolderNamesTest {

    @Test
    void configuredSlashesBecomeTheServersSeparator() {
        assertThat(FolderNames.toServer("Intake/Accepted", '.')).isEqualTo("Intake.Accepted");
        assertThat(FolderNames.toServer("Intake/Accepted", '/')).isEqualTo("Intake/Accepted");
        assertThat(FolderNames.toServer("INBOX", '.')).isEqualTo("INBOX");
        assertThat(FolderNames.toServer("Flat/Name", '\0')).isEqualTo("Flat/Name");
    }

    @Test
    void parentsComeOutermostFirst() {
        assertThat(FolderNames.parents("Intake.Done.2025", '.')).containsExactly("Intake", "Intake.Done");
        assertThat(FolderNames.parents("Intake", '.')).isEmpty();
        assertThat(FolderNames.parents("Flat/Name", '\0')).isEmpty();
    }

    @Test
    void anEmptyNameIsRefused() {
        assertThatThrownBy(() -> FolderNames.toServer(" ", '/'))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("folder name is empty");
    }
}
