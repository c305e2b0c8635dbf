package dev.intake.app.mail;

import java.util.Objects;

/**
 * An attachment larger than the mailbox's {@code max-attachment-size}: streamed through to learn its size but
 * not kept. The ticket shows it as a note, so the agent knows to ask for the file another way.
 *
 * @param fileName the safe file name it would have had
 * @param size     its decoded size in bytes
 */
public record DroppedAttachment(String fileName, long size) {

    public DroppedAttachment {
        Objects.requireNonNull(fileName, "fileName");
    }
}
