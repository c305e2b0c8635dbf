package dev.intake.app.mail;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

/**
 * A file that came with a mail: a real attachment, an inline image, or a forwarded message ({@code .eml}).
 *
 * @param fileName    safe to use as a file name, unique within its mail (see {@link MailParser})
 * @param contentType the MIME type without parameters, lower case ({@code application/pdf})
 * @param size        the decoded size in bytes
 * @param sha256Hex   SHA-256 of the decoded content, lower-case hex
 * @param contentId   the Content-ID without angle brackets, which {@code cid:} links in the HTML body name
 * @param inline      true when the HTML body shows it in place through a {@code cid:} link
 * @param content     the decoded bytes; the array is copied in and out, so the record stays immutable
 */
public record Attachment(
        String fileName,
        String contentType,
        long size,
        String sha256Hex,
        Optional<String> contentId,
        boolean inline,
        byte[] content) {

    public Attachment {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        Objects.requireNonNull(contentId, "contentId");
        content = content.clone();
    }

    /** A copy of the content; prefer {@link #openContent()} to stream it without copying. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    public InputStream openContent() {
        return new ByteArrayInputStream(content);
    }

    Attachment withInline(boolean inline) {
        return new Attachment(fileName, contentType, size, sha256Hex, contentId, inline, content);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Attachment that
                && fileName.equals(that.fileName) && contentType.equals(that.contentType) && size == that.size
                && sha256Hex.equals(that.sha256Hex) && contentId.equals(that.contentId) && inline == that.inline;
    }

    @Override
    public int hashCode() {
        return Objects.hash(fileName, contentType, size, sha256Hex, contentId, inline);
    }

    /** Names the file, never dumps its bytes. */
    @Override
    public String toString() {
        return "Attachment[" + fileName + ", " + contentType + ", " + size + " bytes, sha256=" + sha256Hex
                + contentId.map(id -> ", cid=" + id).orElse("") + (inline ? ", inline" : "") + "]";
    }
}
