package dev.intake.bench.corpus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.SplittableRandom;

/**
 * Writes planned messages as raw MIME, the way common mail clients do: plain text, or multipart/alternative with
 * HTML, and multipart/mixed with a base64 attachment. Written by hand rather than by Jakarta Mail so that boundaries
 * and headers are fixed by the seed too, and the same spec gives the same bytes on every run.
 */
final class MailWriter {

    private static final String CRLF = "\r\n";
    private static final Instant FIRST_DATE = Instant.parse("2026-01-05T08:00:00Z");
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final String[] WORDS = ("printer vpn password reset account locked laptop screen broken invoice "
            + "order delivery refund request urgent please help cannot login error message since yesterday morning "
            + "office network slow email outlook phone headset license renewal update install software access folder "
            + "shared drive permission meeting room projector calendar invite mobile device token expired certificate "
            + "warning server down backup restore file missing deleted ticket follow up thanks regards kind best "
            + "team manager customer contract quote price discount shipment tracking number address change billing "
            + "payment card declined receipt copy attached screenshot log output version browser chrome firefox "
            + "windows mac linux keyboard mouse monitor docking station battery charger wifi connection dropped")
            .split(" ");

    private final long seed;
    private final String to;
    private final String idPrefix;

    MailWriter(long seed, String to, String idPrefix) {
        this.seed = seed;
        this.to = to;
        this.idPrefix = idPrefix;
    }

    String messageId(int index) {
        return "<" + idPrefix + "-" + seed + "-" + index + "@customer.example>";
    }

    byte[] write(MessagePlan plan) {
        SplittableRandom r = Corpus.random(seed ^ 0x5DEECE66DL, plan.index());
        int customer = r.nextInt(1, 400);
        String subject = plan.kind() == MessagePlan.Kind.REPLY ? "Re: " + subject(plan.repliesTo()) : subject(plan.index());
        StringBuilder head = new StringBuilder(512);
        head.append("From: \"Customer ").append(customer).append("\" <customer").append(customer).append("@customer")
                .append(customer % 17).append(".example>").append(CRLF);
        head.append("To: Support <").append(to).append('>').append(CRLF);
        head.append("Subject: ").append(subject).append(CRLF);
        head.append("Date: ").append(DATE.format(FIRST_DATE.plusSeconds(37L * plan.index()))).append(CRLF);
        head.append("Message-ID: ").append(messageId(plan.index())).append(CRLF);
        if (plan.repliesTo() >= 0) {
            head.append("In-Reply-To: ").append(messageId(plan.repliesTo())).append(CRLF);
            head.append("References: ").append(messageId(plan.repliesTo())).append(CRLF);
        }
        head.append("MIME-Version: 1.0").append(CRLF);

        String text = text(r, plan.textSize());
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                (int) Math.min(Integer.MAX_VALUE - 16, 1024 + plan.textSize() * 3L + plan.attachmentSize() * 14 / 10));
        if (plan.attachmentSize() == 0) {
            ascii(out, head);
            body(out, plan, text);
        } else {
            String mixed = "=_mixed_" + seed + "_" + plan.index();
            ascii(out, head.append("Content-Type: multipart/mixed; boundary=\"").append(mixed).append('"').append(CRLF)
                    .append(CRLF).append("This is a multi-part message in MIME format.").append(CRLF));
            ascii(out, "--" + mixed + CRLF);
            body(out, plan, text);
            ascii(out, CRLF + "--" + mixed + CRLF);
            String file = "report-" + plan.index() + ".pdf";
            ascii(out, "Content-Type: application/pdf; name=\"" + file + "\"" + CRLF
                    + "Content-Disposition: attachment; filename=\"" + file + "\"" + CRLF
                    + "Content-Transfer-Encoding: base64" + CRLF + CRLF);
            base64(out, r, plan.attachmentSize());
            ascii(out, "--" + mixed + "--" + CRLF);
        }
        return out.toByteArray();
    }

    /**
     * One message of about {@code totalBytes}: a short text and one attachment that makes up the rest (decoded it is
     * about 3/4 of that, as base64 goes).
     */
    byte[] writeLarge(int index, long totalBytes) {
        return write(new MessagePlan(index, MessagePlan.Kind.ATTACHMENT, false, 1024, largeAttachmentSize(totalBytes), -1));
    }

    /** The decoded attachment size that makes a message of about {@code totalBytes}. */
    static long largeAttachmentSize(long totalBytes) {
        long encodedBudget = Math.max(1024, totalBytes - 2048);
        // base64 makes 4 characters of 3 bytes, and each line of 76 characters takes 2 more for CRLF.
        return encodedBudget * 3 / 4 * 76 / 78;
    }

    String subject(int index) {
        SplittableRandom r = Corpus.random(seed ^ 0x2545F4914F6CDD1DL, index);
        return "Request " + index + ": " + WORDS[r.nextInt(WORDS.length)] + " " + WORDS[r.nextInt(WORDS.length)] + " "
                + WORDS[r.nextInt(WORDS.length)];
    }

    private void body(ByteArrayOutputStream out, MessagePlan plan, String text) {
        if (!plan.html()) {
            ascii(out, "Content-Type: text/plain; charset=UTF-8" + CRLF + "Content-Transfer-Encoding: 7bit" + CRLF + CRLF
                    + text + CRLF);
            return;
        }
        String alt = "=_alt_" + seed + "_" + plan.index();
        ascii(out, "Content-Type: multipart/alternative; boundary=\"" + alt + "\"" + CRLF + CRLF);
        ascii(out, "--" + alt + CRLF + "Content-Type: text/plain; charset=UTF-8" + CRLF
                + "Content-Transfer-Encoding: 7bit" + CRLF + CRLF + text + CRLF);
        ascii(out, "--" + alt + CRLF + "Content-Type: text/html; charset=UTF-8" + CRLF
                + "Content-Transfer-Encoding: 7bit" + CRLF + CRLF + html(text) + CRLF);
        ascii(out, "--" + alt + "--" + CRLF);
    }

    private static String text(SplittableRandom r, int size) {
        StringBuilder b = new StringBuilder(size + 80);
        b.append("Hello support,").append(CRLF).append(CRLF);
        int line = 0;
        while (b.length() < size) {
            String word = WORDS[r.nextInt(WORDS.length)];
            if (line + word.length() + 1 > 72) {
                b.append(CRLF);
                line = 0;
                if (r.nextInt(8) == 0) {
                    b.append(CRLF);
                }
            } else if (line > 0) {
                b.append(' ');
                line++;
            }
            b.append(word);
            line += word.length();
        }
        return b.append(CRLF).append(CRLF).append("Regards").toString();
    }

    private static String html(String text) {
        StringBuilder b = new StringBuilder(text.length() + 200);
        b.append("<html><head><style>p{font-family:sans-serif}</style></head><body>");
        for (String paragraph : text.split("\r\n\r\n")) {
            b.append("<p>").append(paragraph.replace("\r\n", "<br>\r\n")).append("</p>\r\n");
        }
        return b.append("</body></html>").toString();
    }

    /** Random (incompressible, like PDFs and photos) bytes, base64 in lines of 76 as mail clients write them. */
    private static void base64(ByteArrayOutputStream out, SplittableRandom r, long size) {
        Base64.Encoder encoder = Base64.getMimeEncoder(76, CRLF.getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[57 * 1024];
        long left = size;
        while (left > 0) {
            int n = (int) Math.min(chunk.length, left);
            byte[] bytes = n == chunk.length ? chunk : new byte[n];
            r.nextBytes(bytes);
            out.writeBytes(encoder.encode(bytes));
            out.writeBytes(CRLF.getBytes(StandardCharsets.US_ASCII));
            left -= n;
        }
    }

    private static void ascii(ByteArrayOutputStream out, CharSequence s) {
        out.writeBytes(s.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
