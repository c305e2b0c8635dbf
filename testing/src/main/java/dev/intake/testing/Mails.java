package dev.intake.testing;

import java.util.Base64;

/** Raw RFC 5322 messages for collection tests, written out so each test shows exactly what the server holds. */
public final class Mails {

    private Mails() {
    }

    public static String plain(String from, String to, String subject, String messageId, String body, String... extraHeaders) {
        StringBuilder b = headers(from, to, subject, messageId, extraHeaders);
        b.append("Content-Type: text/plain; charset=UTF-8\r\n\r\n").append(body).append("\r\n");
        return b.toString();
    }

    public static String html(String from, String to, String subject, String messageId, String html) {
        StringBuilder b = headers(from, to, subject, messageId);
        b.append("Content-Type: text/html; charset=UTF-8\r\n\r\n").append(html).append("\r\n");
        return b.toString();
    }

    public static String withAttachment(String from, String to, String subject, String messageId, String body,
            String fileName, byte[] content) {
        StringBuilder b = headers(from, to, subject, messageId);
        b.append("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n")
                .append("--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n").append(body).append("\r\n")
                .append("--b1\r\nContent-Type: application/pdf; name=\"").append(fileName).append("\"\r\n")
                .append("Content-Disposition: attachment; filename=\"").append(fileName).append("\"\r\n")
                .append("Content-Transfer-Encoding: base64\r\n\r\n")
                .append(Base64.getMimeEncoder().encodeToString(content)).append("\r\n--b1--\r\n");
        return b.toString();
    }

    private static StringBuilder headers(String from, String to, String subject, String messageId, String... extra) {
        StringBuilder b = new StringBuilder();
        b.append("From: ").append(from).append("\r\n")
                .append("To: ").append(to).append("\r\n")
                .append("Subject: ").append(subject).append("\r\n")
                .append("Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n");
        if (messageId != null) {
            b.append("Message-ID: ").append(messageId).append("\r\n");
        }
        for (String h : extra) {
            b.append(h).append("\r\n");
        }
        b.append("MIME-Version: 1.0\r\n");
        return b;
    }
}
