package dev.intake.app.ticket;

import java.util.Optional;

/** An attachment or inline image to store with a ticket or followup. */
public record AttachmentContent(
        String fileName,
        String contentType,
        long size,
        String sha256,
        Optional<String> contentId,
        boolean inline,
        byte[] content) {

    @Override
    public String toString() {
        return "AttachmentContent[" + fileName + ", " + contentType + ", " + size + " bytes]";
    }
}
