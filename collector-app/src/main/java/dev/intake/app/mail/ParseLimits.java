package dev.intake.app.mail;

import dev.intake.config.MailboxConfig;

/**
 * Limits that apply while parsing one mail.
 *
 * @param maxAttachmentSize decoded bytes above which an attachment is dropped (and noted) instead of kept
 */
public record ParseLimits(long maxAttachmentSize) {

    public ParseLimits {
        if (maxAttachmentSize < 0) {
            throw new IllegalArgumentException(
                    "max-attachment-size must be zero or more bytes, was " + maxAttachmentSize);
        }
    }

    public static ParseLimits of(MailboxConfig mailbox) {
        return new ParseLimits(mailbox.maxAttachmentSize());
    }
}
