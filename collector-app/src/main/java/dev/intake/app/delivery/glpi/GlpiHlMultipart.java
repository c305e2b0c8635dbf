package dev.intake.app.delivery.glpi;

import dev.intake.app.delivery.Delivery;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A {@code multipart/form-data} body of text fields and one file, as GLPI's high-level API reads a document upload
 * ({@code MultipartFormDataRequestMiddleware}: the file part named {@code file}, the other parts become the
 * document's fields). The file is streamed from its source between a small head and tail, never held in memory, so a
 * large attachment is read once from the database and written once to the socket.
 */
final class GlpiHlMultipart {

    private final String boundary = "intake-" + UUID.randomUUID();
    private final Map<String, String> fields = new LinkedHashMap<>();
    private final String fileField;
    private final String fileName;
    private final String fileType;
    private final Delivery.Content content;
    private final List<InputStream> opened = new ArrayList<>();

    GlpiHlMultipart(Map<String, String> fields, String fileField, String fileName, String fileType,
            Delivery.Content content) {
        this.fields.putAll(fields);
        this.fileField = fileField;
        this.fileName = fileName;
        this.fileType = fileType;
        this.content = content;
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** A publisher over a newly opened content stream; the stream is closed when the request has read it. */
    HttpRequest.BodyPublisher open() throws IOException {
        StringBuilder head = new StringBuilder();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            head.append("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(quoted(field.getKey())).append("\"\r\n")
                    .append("Content-Type: text/plain; charset=UTF-8\r\n\r\n")
                    .append(field.getValue()).append("\r\n");
        }
        head.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(quoted(fileField))
                .append("\"; filename=\"").append(quoted(fileName)).append("\"\r\n")
                .append("Content-Type: ").append(fileType.replaceAll("[\\r\\n]", "")).append("\r\n\r\n");
        String tail = "\r\n--" + boundary + "--\r\n";
        InputStream file = content.open();
        opened.add(file);
        InputStream whole = new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(head.toString().getBytes(StandardCharsets.UTF_8)),
                file,
                new ByteArrayInputStream(tail.getBytes(StandardCharsets.UTF_8)))));
        boolean[] given = {false};
        return HttpRequest.BodyPublishers.ofInputStream(() -> {
            // the client asks once per send; a second ask (a redirect) must not re-read a consumed stream
            if (given[0]) {
                throw new IllegalStateException("the attachment's content was already sent");
            }
            given[0] = true;
            return whole;
        });
    }

    /** Closes what {@link #open} opened, read or not (a send that failed before the body left reads nothing). */
    void close() {
        for (InputStream stream : opened) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // the attachment was read from the database; nothing is left to give back
            }
        }
        opened.clear();
    }

    /** As browsers write it (HTML's form encoding): a quote becomes %22, a line break would end the header. */
    private static String quoted(String value) {
        return value.replace("\"", "%22").replaceAll("[\\r\\n]", " ");
    }
}
