package dev.intake.app.delivery.glpi;

import dev.intake.app.delivery.Delivery;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A {@code multipart/form-data} request body (RFC 7578), which the JDK's HTTP client has no publisher for: text fields
 * and files, the files streamed from their {@link Delivery.Content} while the request is sent, never held in memory.
 *
 * <p>The body has a known length (the files' lengths are given), so it is sent with {@code Content-Length} rather than
 * chunked: PHP behind Apache's {@code mod_proxy_fcgi}, a common way to run GLPI, reads a chunked body as empty.
 *
 * <p>A file name is written in UTF-8 as a quoted string (RFC 7578 section 4.2 allows UTF-8; RFC 2045's quoted-pair
 * {@code \"} for a quote), which PHP's form parser, GLPI's, reads back as it was. PHP keeps only what follows the last
 * {@code /} or backslash of a file name (browsers once sent whole paths), so those become {@code _}; CR and LF, which
 * cannot be in a header, become spaces.
 */
final class MultipartBody {

    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private final String boundary;
    private final List<Part> parts = new ArrayList<>();

    private sealed interface Part permits Field, FilePart {
    }

    private record Field(String name, String value) implements Part {
    }

    private record FilePart(String name, String fileName, String contentType, Delivery.Content content, long length)
            implements Part {
    }

    MultipartBody() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        // Random, so that no file's bytes can contain it by chance; only characters RFC 2046 allows unquoted
        this.boundary = "intake-" + HexFormat.of().formatHex(random);
    }

    /** A text field, sent as UTF-8 without a content type, as a browser sends a form's text input. */
    MultipartBody field(String name, String value) {
        parts.add(new Field(name, value));
        return this;
    }

    /**
     * A file. {@code length} must be the exact number of bytes {@code content} gives: the request declares it, and the
     * HTTP client fails the request when the stream gives more or fewer.
     */
    MultipartBody file(String name, String fileName, String contentType, Delivery.Content content, long length) {
        parts.add(new FilePart(name, fileName, contentType, content, length));
        return this;
    }

    /** The value of the request's {@code Content-Type} header. */
    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    BodyPublisher publisher() {
        List<BodyPublisher> pieces = new ArrayList<>();
        long length = 0;
        for (Part part : parts) {
            byte[] head = head(part);
            pieces.add(HttpRequest.BodyPublishers.ofByteArray(head));
            length += head.length;
            if (part instanceof Field field) {
                byte[] value = field.value().getBytes(StandardCharsets.UTF_8);
                pieces.add(HttpRequest.BodyPublishers.ofByteArray(value));
                length += value.length;
            } else if (part instanceof FilePart file) {
                pieces.add(HttpRequest.BodyPublishers.ofInputStream(() -> open(file.content())));
                length += file.length();
            }
            pieces.add(HttpRequest.BodyPublishers.ofByteArray(CRLF));
            length += CRLF.length;
        }
        byte[] end = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        pieces.add(HttpRequest.BodyPublishers.ofByteArray(end));
        length += end.length;
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.concat(pieces.toArray(BodyPublisher[]::new)), length);
    }

    private byte[] head(Part part) {
        StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n");
        if (part instanceof Field field) {
            head.append("Content-Disposition: form-data; name=\"").append(quote(field.name())).append("\"\r\n");
        } else if (part instanceof FilePart file) {
            head.append("Content-Disposition: form-data; name=\"").append(quote(file.name()))
                    .append("\"; filename=\"").append(quote(file.fileName())).append("\"\r\n")
                    .append("Content-Type: ").append(file.contentType()).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A name or file name as the content of the header's quoted string. */
    static String quote(String value) {
        return value.replace('/', '_').replace('\\', '_').replace('\r', ' ').replace('\n', ' ')
                .replace("\"", "\\\"");
    }

    private static InputStream open(Delivery.Content content) {
        try {
            return content.open();
        } catch (IOException e) {
            // The client's publisher takes a Supplier; the unchecked wrapper reaches the caller as the send's cause
            throw new UncheckedIOException("could not read the attachment to upload", e);
        }
    }
}
