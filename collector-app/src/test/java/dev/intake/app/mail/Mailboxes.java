package dev.intake.app.mail;

import dev.intake.config.AuthMode;
import dev.intake.config.DateSource;
import dev.intake.config.InitialSync;
import dev.intake.config.MailboxConfig;
import dev.intake.config.PostAction;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Mailbox configurations for tests, with the defaults an operator would get. */
final class Mailboxes {

    static final String ADDRESS = "support@contoso.com";
    static final long MAX_MESSAGE_SIZE = 25L * 1024 * 1024;

    private Mailboxes() {
    }

    static MailboxConfig support() {
        return mailbox(Optional.empty(), List.of(), false, MAX_MESSAGE_SIZE);
    }

    static MailboxConfig mailbox(Optional<String> delegate, List<String> blockedSenders, boolean useReplyTo,
                                 long maxMessageSize) {
        return new MailboxConfig("support", "entra", ADDRESS, delegate, AuthMode.DELEGATED, "INBOX", Optional.of("Intake/Accepted"),
                Optional.of("Intake/Refused"), PostAction.MOVE, true, Duration.ofMinutes(1), 200, maxMessageSize,
                10L * 1024 * 1024, InitialSync.DEFAULT, false, useReplyTo, DateSource.MAIL, blockedSenders,
                Optional.empty(), Optional.empty(), dev.intake.config.CollectionMode.POLL,
                new dev.intake.config.IdleSettings(Duration.ofMinutes(25), Duration.ofMinutes(15)), Optional.empty());
    }
}
