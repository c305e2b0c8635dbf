package dev.intake.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One collected mailbox ({@code mailboxes[i]}).
 *
 * @param address  the IMAP user in XOAUTH2; may be a shared mailbox
 * @param delegate for a shared mailbox: the account that signs in and whose token opens it
 * @param auth     how the mailbox is opened: its own {@code auth}, else its provider's
 */
public record MailboxConfig(
        String id,
        String provider,
        String address,
        Optional<String> delegate,
        AuthMode auth,
        String folder,
        Optional<String> acceptedFolder,
        Optional<String> refusedFolder,
        PostAction postAction,
        boolean createFolders,
        Duration pollEvery,
        int maxPerRun,
        long maxMessageSize,
        long maxAttachmentSize,
        InitialSync initialSync,
        boolean paused,
        boolean useReplyTo,
        DateSource dateSource,
        List<String> blockedSenders,
        Optional<String> imapHost,
        Optional<Integer> imapPort) {

    public MailboxConfig {
        blockedSenders = List.copyOf(blockedSenders);
    }

    /** True when the application opens the mailbox itself, without any person's grant. */
    public boolean appOnly() {
        return auth == AuthMode.APP;
    }

    /** The account expected to sign in: the delegate of a shared mailbox, else the mailbox itself. */
    public String signInAccount() {
        return delegate.orElse(address);
    }
}
