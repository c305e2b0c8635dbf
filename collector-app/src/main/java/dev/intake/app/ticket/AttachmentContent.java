package dev.intake.app.ticket;

import dev.intake.app.spool.Spool;
import java.util.Optional;

/**
 * An attachment or inline image to store with a ticket or followup. The content is streamed into the database
 * from its spool (memory, or a temporary file when large).
 */
public record AttachmentContent(
        String fileName,
        String contentType,
        long size,
        String sha256,
        Optional<String> contentId,
        boolean inline,
        Spool content) {

    @Override
    public String toString() {
        return "AttachmentContent[" + fileName + ", " + contentType + ", " + size + " bytes]";
    }
}
