package dev.intake.app.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.config.ImapSecurity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImapTargetTest {

    @Test
    void defaultsTheTimeouts() {
        ImapTarget target = ImapTarget.of("outlook.office365.com", 993, ImapSecurity.TLS, "support@contoso.com");

        assertThat(target.connectTimeout()).isEqualTo(ImapTarget.DEFAULT_CONNECT_TIMEOUT);
        assertThat(target.readTimeout()).isEqualTo(ImapTarget.DEFAULT_READ_TIMEOUT);
        assertThat(target.address()).isEqualTo("outlook.office365.com:993");
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> ImapTarget.of(" ", 993, ImapSecurity.TLS, "a@b"))
                .hasMessageContaining("IMAP host is empty");
        assertThatThrownBy(() -> ImapTarget.of("h", 0, ImapSecurity.TLS, "a@b"))
                .hasMessageContaining("use 993 for TLS");
        assertThatThrownBy(() -> ImapTarget.of("h", 993, ImapSecurity.TLS, ""))
                .hasMessageContaining("IMAP user is empty");
        assertThatThrownBy(() -> new ImapTarget("h", 993, ImapSecurity.TLS, "a@b", Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("connect timeout");
    }
}
