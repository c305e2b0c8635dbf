package dev.intake.app.mail;

import jakarta.activation.DataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimePartDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * A multipart body read with Jakarta Mail's tolerant settings, per instance. Jakarta Mail takes these settings
 * only from system properties, which would change parsing for the whole process; overriding
 * {@link #initializeProperties()} keeps them here.
 *
 * <p>A missing end boundary (truncated mail) is accepted and shows in {@link #isComplete()}. A multipart that is
 * empty stays an error, because accepting it would silently drop a body whose boundary is wrong. With
 * {@code guessBoundary} the boundary parameter is ignored and the first line that looks like a boundary is used:
 * the second try for mail whose Content-Type names a boundary the body never uses.
 */
final class LenientMultipart extends MimeMultipart {

    private final boolean guessBoundary;

    private LenientMultipart(DataSource source, boolean guessBoundary) throws MessagingException {
        super(source);
        this.guessBoundary = guessBoundary;
    }

    /** Reads {@code part}'s multipart content; the parts themselves are parsed on first access. */
    static LenientMultipart of(MimePart part, String baseType, boolean guessBoundary) throws MessagingException {
        LenientMultipart multipart = new LenientMultipart(new Source(part, baseType), guessBoundary);
        multipart.getCount(); // parse now, so that a broken structure shows here and not halfway through a walk
        return multipart;
    }

    boolean guessedBoundary() {
        return guessBoundary;
    }

    /** Called by the super constructor (field still false) and again by {@code parse()}, which is the call that counts. */
    @Override
    protected void initializeProperties() {
        super.initializeProperties();
        ignoreMissingEndBoundary = true;
        ignoreMissingBoundaryParameter = true;
        ignoreExistingBoundaryParameter = guessBoundary;
        allowEmpty = false;
    }

    /**
     * The part's content with a Content-Type rebuilt from {@link PartHeaders}, so that a header Jakarta Mail
     * cannot parse (an unclosed quote, say) does not stop it from finding the parts.
     */
    private static final class Source implements DataSource {
        private final MimePartDataSource content;
        private final String contentType;

        Source(MimePart part, String baseType) {
            this.content = new MimePartDataSource(part);
            Optional<String> boundary = PartHeaders.contentTypeParameter(part, "boundary")
                    .filter(b -> !b.isEmpty() && b.indexOf('"') < 0 && b.indexOf('\\') < 0);
            this.contentType = baseType + boundary.map(b -> "; boundary=\"" + b + "\"").orElse("");
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return content.getInputStream();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            throw new IOException("a received mail is read only");
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public String getName() {
            return "";
        }
    }
}
