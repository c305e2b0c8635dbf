package dev.intake.app.process;

import dev.intake.testing.Mails;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * A seeded mix of what a helpdesk mailbox receives, each message with the outcome Intake must record for it: new
 * requests in text and HTML, some with an attachment of 10 KB to 2 MB, replies to earlier requests, the same message
 * delivered twice, auto-replies, bounces and malformed MIME. Message-IDs are unique except for the duplicates, which
 * repeat an earlier request's raw message.
 */
final class MixedCorpus {

    /** What must become of a message. */
    enum Outcome {
        TICKET, FOLLOWUP, DUPLICATE, REFUSED;

        /** Whether the message ends in the accepted folder (else the refused folder). */
        boolean accepted() {
            return this != REFUSED;
        }
    }

    record Message(String messageId, String raw, Outcome outcome, int size) {
    }

    private final Random random;
    private final String to;
    private final List<Message> requests = new ArrayList<>();
    private int next = 1;

    MixedCorpus(long seed, String to) {
        this.random = new Random(seed);
        this.to = to;
    }

    /** The next {@code count} messages of the mix. */
    List<Message> next(int count) {
        List<Message> batch = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batch.add(one(next++));
        }
        return batch;
    }

    private Message one(int n) {
        String id = "<m" + n + "." + Long.toHexString(random.nextLong()) + "@customer.example>";
        String from = "Customer " + n + " <c" + n + "@customer.example>";
        int kind = random.nextInt(100);
        if (kind >= 95 && !requests.isEmpty()) {
            Message original = requests.get(random.nextInt(requests.size()));
            return new Message(original.messageId(), original.raw(), Outcome.DUPLICATE, original.size());
        }
        if (kind >= 77 && kind < 85 && !requests.isEmpty()) {
            Message original = requests.get(random.nextInt(requests.size()));
            return message(id, Mails.plain(from, to, "Re: request", id, text(1_000, 4_000),
                    "In-Reply-To: " + original.messageId(), "References: " + original.messageId()), Outcome.FOLLOWUP);
        }
        if (kind >= 85 && kind < 89) {
            return message(id, Mails.plain(from, to, "Out of office", id, "I am away until Monday.",
                    "Auto-Submitted: auto-replied"), Outcome.REFUSED);
        }
        if (kind >= 89 && kind < 92) {
            return message(id, bounce(id), Outcome.REFUSED);
        }
        Message request;
        if (kind >= 92 && kind < 95) {
            request = message(id, malformed(from, id), Outcome.TICKET);
        } else if (kind >= 62 && kind < 77) {
            byte[] content = new byte[10_000 + random.nextInt(2_000_000)];
            random.nextBytes(content);
            request = message(id, Mails.withAttachment(from, to, "Request " + n + " with a file", id, text(500, 3_000),
                    "file-" + n + ".pdf", content), Outcome.TICKET);
        } else if (kind >= 50 && kind < 62) {
            request = message(id, Mails.html(from, to, "Request " + n, id, "<p>" + text(2_000, 15_000) + "</p>"),
                    Outcome.TICKET);
        } else {
            request = message(id, Mails.plain(from, to, "Request " + n, id, text(2_000, 20_000)), Outcome.TICKET);
        }
        requests.add(request);
        return request;
    }

    private static Message message(String id, String raw, Outcome outcome) {
        return new Message(id, raw, outcome, raw.length());
    }

    private String text(int min, int max) {
        int length = min + random.nextInt(max - min);
        StringBuilder b = new StringBuilder(length + 80);
        while (b.length() < length) {
            b.append("The printer on floor ").append(random.nextInt(9)).append(" jams again. ");
            if (random.nextInt(8) == 0) {
                b.append("\r\n");
            }
        }
        return b.toString();
    }

    private String bounce(String id) {
        return "From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>\r\n"
                + "To: " + to + "\r\n"
                + "Subject: Undelivered Mail Returned to Sender\r\n"
                + "Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n"
                + "Message-ID: " + id + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r1\"\r\n\r\n"
                + "--r1\r\nContent-Type: text/plain\r\n\r\nDelivery to nobody@customer.example failed.\r\n"
                + "--r1\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                + "--r1--\r\n";
    }

    /** An unterminated multipart with a broken base64 part: read as far as it goes, ticketed with the original. */
    private String malformed(String from, String id) {
        byte[] junk = new byte[2_000 + random.nextInt(20_000)];
        random.nextBytes(junk);
        return "From: " + from + "\r\n"
                + "To: " + to + "\r\n"
                + "Subject: =?utf-8?B?broken?= request\r\n"
                + "Message-ID: " + id + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"never-closed\"\r\n\r\n"
                + "--never-closed\r\nContent-Type: text/plain; charset=no-such-charset\r\n\r\nIt is broken.\r\n"
                + "--never-closed\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(junk).substring(7) + "!!\r\n";
    }
}
