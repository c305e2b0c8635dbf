package dev.intake.app.mail;

import dev.intake.app.spool.Spool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * A file that came with a mail: a real attachment, an inline image, or a forwarded message ({@code .eml}). Its
 * content is a {@link Spool}: a large attachment lives in a temporary file until it is stored, and closing the
 * {@link ParsedMail} it belongs to deletes that file.
 */
public final class Attachment {

    private final String fileName;
    private final String contentType;
    private final long size;
    private final String sha256Hex;
    private final Optional<String> contentId;
    private final boolean inline;
    private final Spool content;

    /**
     * @param fileName    safe to use as a file name, unique within its mail (see {@link MailParser})
     * @param contentType the MIME type without parameters, lower case ({@code application/pdf})
     * @param size        the decoded size in bytes
     * @param sha256Hex   SHA-256 of the decoded content, lower-case hex
     * @param contentId   the Content-ID without angle brackets, which {@code cid:} links in the HTML body name
     * @param inline      true when the HTML body shows it in place through a {@code cid:} link
     * @param content     the decoded bytes
     */
    public Attachment(String fileName, String contentType, long size, String sha256Hex, Optional<String> contentId,
            boolean inline, Spool content) {
        this.fileName = Objects.requireNonNull(fileName, "fileName");
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.size = size;
        this.sha256Hex = Objects.requireNonNull(sha256Hex, "sha256Hex");
        this.contentId = Objects.requireNonNull(contentId, "contentId");
        this.inline = inline;
        this.content = Objects.requireNonNull(content, "content");
    }

    /** An attachment whose content is in memory; the array is copied in. */
    public Attachment(String fileName, String contentType, long size, String sha256Hex, Optional<String> contentId,
            boolean inline, byte[] content) {
        this(fileName, contentType, size, sha256Hex, contentId, inline, Spool.of(content.clone()));
    }

    public String fileName() {
        return fileName;
    }

    public String contentType() {
        return contentType;
    }

    public long size() {
        return size;
    }

    public String sha256Hex() {
        return sha256Hex;
    }

    public Optional<String> contentId() {
        return contentId;
    }

    public boolean inline() {
        return inline;
    }

    /** All of the content in a new array; prefer {@link #openContent()} or {@link #spool()}, which do not copy it. */
    public byte[] content() {
        return content.readAllBytes();
    }

    public InputStream openContent() {
        try {
            return content.openStream();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read attachment " + fileName, e);
        }
    }

    /** The content as held: in memory or in a temporary file. */
    public Spool spool() {
        return content;
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
