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
 * @param mode     polled only, or idling with a polled safety net
 * @param idle     the IDLE settings (defaults when the mailbox is polled)
 * @param deliverTo the delivery targets (by name) this mailbox's tickets go to ({@code deliver-to}); empty: every
 *                  target of {@code delivery.targets}
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
        Optional<Integer> imapPort,
        CollectionMode mode,
        IdleSettings idle,
        Optional<List<String>> deliverTo) {

    public MailboxConfig {
        blockedSenders = List.copyOf(blockedSenders);
        deliverTo = deliverTo.map(List::copyOf);
    }

    /** Whether this mailbox's tickets go to the named target. */
    public boolean deliversTo(String target) {
        return deliverTo.map(names -> names.contains(target)).orElse(true);
    }

    /** True when the application opens the mailbox itself, without any person's grant. */
    public boolean appOnly() {
        return auth == AuthMode.APP;
    }

    /** True when the mailbox idles ({@code mode: idle}) rather than only being polled. */
    public boolean idles() {
        return mode == CollectionMode.IDLE;
    }

    /**
     * How often the schedule polls this mailbox: {@code poll-every}, or for an idling mailbox the longer safety-net
     * interval (while it idles, IDLE collects; while its server lacks IDLE, the idler polls every {@code poll-every}).
     */
    public java.time.Duration scheduledEvery() {
        return idles() ? idle.safetyPollEvery() : pollEvery;
    }

    /** The account expected to sign in: the delegate of a shared mailbox, else the mailbox itself. */
    public String signInAccount() {
        return delegate.orElse(address);
    }
}
