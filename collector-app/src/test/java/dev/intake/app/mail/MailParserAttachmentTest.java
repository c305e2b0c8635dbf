package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MailParserAttachmentTest {

    /** SHA-256 of "hello\n", as {@code printf 'hello\n' | sha256sum} prints it. */
    private static final String SHA256_HELLO = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    private final MailParser parser = new MailParser();

    @Test
    void attachmentsKeepNameTypeSizeHashAndBytes() throws Exception {
        byte[] pdf = allByteValues(3); // 768 bytes, every value from 0 to 255 three times
        byte[] raw = RawMail.start().text("""
                From: a@example.com
                Subject: files
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="mix"

                --mix
                Content-Type: text/plain; charset=utf-8

                Two files attached.
                --mix
                Content-Type: application/pdf; name="invoice.pdf"
                Content-Disposition: attachment; filename="invoice.pdf"
                Content-Transfer-Encoding: base64

                """).base64(pdf).text("""
                --mix
                Content-Type: text/plain; charset=us-ascii
                Content-Disposition: attachment; filename=hello.txt
                Content-Transfer-Encoding: quoted-printable

                hello
                --mix--
                """).build();

        ParsedMail mail = parser.parse(raw, new ParseLimits(1024 * 1024));

        assertThat(mail.textBody()).isEqualTo("Two files attached.");
        assertThat(mail.attachments()).hasSize(2);
        Attachment invoice = mail.attachments().get(0);
        assertThat(invoice.fileName()).isEqualTo("invoice.pdf");
        assertThat(invoice.contentType()).isEqualTo("application/pdf");
        assertThat(invoice.size()).isEqualTo(768);
        assertThat(invoice.sha256Hex()).isEqualTo(sha256(pdf));
        assertThat(invoice.content()).isEqualTo(pdf);
        assertThat(invoice.contentId()).isEmpty();
        assertThat(invoice.inline()).isFalse();
        Attachment hello = mail.attachments().get(1);
        assertThat(hello.fileName()).isEqualTo("hello.txt");
        assertThat(hello.contentType()).isEqualTo("text/plain");
        // The part's body is "hello" + CRLF; the CRLF before the boundary belongs to the boundary (RFC 2046).
        assertThat(hello.content()).isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
        assertThat(hello.size()).isEqualTo(5);
        assertThat(mail.droppedAttachments()).isEmpty();
    }

    @Test
    void sha256MatchesAKnownValue() {
        byte[] raw = RawMail.start().text("""
                From: a@example.com
                Subject: known hash
                Content-Type: multipart/mixed; boundary=k

                --k
                Content-Type: text/plain
                Content-Disposition: attachment; filename=hello.txt
                Content-Transfer-Encoding: base64

                aGVsbG8K
                --k--
                """).build();

        Attachment hello = parser.parse(raw, new ParseLimits(1024)).attachments().get(0);

        assertThat(hello.sha256Hex()).isEqualTo(SHA256_HELLO);
        assertThat(hello.size()).isEqualTo(6);
    }

    @Test
    void inlineCidImageStaysLinkedAndIsMarkedInline() {
        byte[] png = allByteValues(1);
        byte[] raw = RawMail.start().text("""
                From: a@example.com
                Subject: logo
                Content-Type: multipart/alternative; boundary=alt

                --alt
                Content-Type: text/plain; charset=utf-8

                See the logo.
                --alt
                Content-Type: multipart/related; boundary=rel; type="text/html"

                --rel
                Content-Type: text/html; charset=utf-8

                <p>See <img src="cid:logo.123@example.com" alt="logo"> and <img src="https://tracker.example.com/p.gif"></p>
                --rel
                Content-Type: image/png
                Content-ID: <logo.123@example.com>
                Content-Disposition: inline
                Content-Transfer-Encoding: base64

                """).base64(png).text("""
                --rel
                Content-Type: image/png; name=unused.png
                Content-ID: <unused@example.com>
                Content-Transfer-Encoding: base64

                """).base64(png).text("""
                --rel--
                --alt--
                """).build();

        ParsedMail mail = parser.parse(raw, new ParseLimits(1024 * 1024));

        assertThat(mail.textBody()).isEqualTo("See the logo.");
        assertThat(mail.htmlBody()).hasValueSatisfying(html -> assertThat(html)
                .contains("<img src=\"cid:logo.123@example.com\" alt=\"logo\">")
                .contains("data-remote-src=\"https://tracker.example.com/p.gif\"")
                .doesNotContainPattern("\\ssrc=\"https?:"));
        assertThat(mail.attachments()).hasSize(2);
        Attachment logo = mail.attachments().get(0);
        assertThat(logo.fileName()).isEqualTo("attachment-1.png");
        assertThat(logo.contentId()).contains("logo.123@example.com");
        assertThat(logo.inline()).isTrue();
        assertThat(logo.size()).isEqualTo(256);
        Attachment unused = mail.attachments().get(1);
        assertThat(unused.fileName()).isEqualTo("unused.png");
        assertThat(unused.inline()).as("an image the HTML does not show is a normal attachment").isFalse();
    }

    @Test
    void fileNamesInRfc2231AndRfc2047AreDecoded() {
        byte[] raw = RawMail.of("""
                From: a@example.com
                Subject: names
                Content-Type: multipart/mixed; boundary=n

                --n
                Content-Type: application/pdf
                Content-Disposition: attachment; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%82%AC.pdf

                x
                --n
                Content-Type: application/pdf
                Content-Disposition: attachment;
                 filename*0*=UTF-8''Sehr%20langer%20;
                 filename*1*=Dateiname%20f%C3%BCr;
                 filename*2=" Tests.pdf"

                x
                --n
                Content-Type: application/pdf
                Content-Disposition: attachment; filename="=?UTF-8?Q?Pr=C3=BCfbericht.pdf?="

                x
                --n
                Content-Type: application/vnd.ms-excel; name="=?ISO-8859-1?B?UHJlaXNlIOQueGxz?="

                x
                --n
                Content-Type: text/plain
                Content-Disposition: attachment; filename*=utf-7''Hi%20+ZeVnLIqe-.txt

                x
                --n--
                """);

        ParsedMail mail = parser.parse(raw, new ParseLimits(1024));

        assertThat(mail.attachments()).extracting(Attachment::fileName).containsExactly(
                "Résumé €.pdf", "Sehr langer Dateiname für Tests.pdf", "Prüfbericht.pdf", "Preise ä.xls",
                "Hi 日本語.txt");
    }

    @Test
    void repeatedNamesAreSuffixed() {
        byte[] raw = RawMail.of("""
                From: a@example.com
                Subject: same names
                Content-Type: multipart/mixed; boundary=r

                --r
                Content-Type: application/pdf
                Content-Disposition: attachment; filename=report.pdf

                one
                --r
                Content-Type: application/pdf
                Content-Disposition: attachment; filename=report.pdf

                two
                --r
                Content-Type: application/pdf
                Content-Disposition: attachment; filename=Report.PDF

                three
                --r
                Content-Type: application/octet-stream
                Content-Disposition: attachment; filename=README

                four
                --r
                Content-Type: application/octet-stream
                Content-Disposition: attachment; filename=readme

                five
                --r--
                """);

        ParsedMail mail = parser.parse(raw, new ParseLimits(1024));

        assertThat(mail.attachments()).extracting(Attachment::fileName)
                .containsExactly("report.pdf", "report (2).pdf", "Report (3).PDF", "README", "readme (2)");
    }

    @Test
    void unsafeNamesAreMadeSafe() {
        byte[] raw = RawMail.of("""
                From: a@example.com
                Subject: unsafe
                Content-Type: multipart/mixed; boundary=u

                --u
                Content-Type: text/plain
                Content-Disposition: attachment; filename="../../etc/passwd"

                root:x:0:0
                --u
                Content-Type: text/plain
                Content-Disposition: attachment; filename="CON.txt"

                x
                --u
                Content-Type: text/plain
                Content-Disposition: attachment; filename="C:\\\\Users\\\\bob\\\\notes.txt"

                x
                --u
                Content-Type: text/plain
                Content-Disposition: attachment; filename=".htaccess"

                x
                --u
                Content-Type: application/pdf
                Content-Disposition: attachment; filename="..."

                x
                --u
                Content-Type: text/plain
                Content-Disposition: attachment; filename="a<b>c:d|e?.txt"

                x
                --u--
                """);

        ParsedMail mail = parser.parse(raw, new ParseLimits(1024));

        assertThat(mail.attachments()).extracting(Attachment::fileName).containsExactly(
                "passwd", "_CON.txt", "notes.txt", "htaccess", "attachment-1.pdf", "a_b_c_d_e_.txt");
    }

    @Test
    void oversizeAttachmentIsDroppedWithItsSize() {
        byte[] big = allByteValues(20); // 5120 bytes
        byte[] raw = RawMail.start().text("""
                From: a@example.com
                Subject: big
                Content-Type: multipart/mixed; boundary=o

                --o
                Content-Type: text/plain

                See attached.
                --o
                Content-Type: application/zip
                Content-Disposition: attachment; filename=logs.zip
                Content-Transfer-Encoding: base64

                """).base64(big).text("""
                --o
                Content-Type: text/plain
                Content-Disposition: attachment; filename=small.txt

                small
                --o--
                """).build();

        ParsedMail mail = parser.parse(raw, new ParseLimits(4096));

        assertThat(mail.droppedAttachments()).containsExactly(new DroppedAttachment("logs.zip", 5120));
        assertThat(mail.attachments()).extracting(Attachment::fileName).containsExactly("small.txt");
        assertThat(mail.malformed()).isFalse();
    }

    @Test
    void attachmentOfExactlyTheLimitIsKept() {
        byte[] exact = allByteValues(4); // 1024 bytes
        byte[] raw = RawMail.start().text("""
                From: a@example.com
                Subject: edge
                Content-Type: multipart/mixed; boundary=e

                --e
                Content-Type: application/octet-stream
                Content-Disposition: attachment; filename=exact.bin
                Content-Transfer-Encoding: base64

                """).base64(exact).text("--e--\n").build();

        ParsedMail mail = parser.parse(raw, new ParseLimits(1024));

        assertThat(mail.attachments()).extracting(Attachment::size).containsExactly(1024L);
        assertThat(mail.droppedAttachments()).isEmpty();
    }

    @Test
    void forwardedMessageIsAttachedAsEml() {
        String inner = """
                From: customer@example.com
                Subject: Original problem
                Content-Type: text/plain

                It broke.
                """.replace("\n", "\r\n");
        byte[] raw = RawMail.start().text("""
                From: agent@contoso.com
                Subject: Fwd: Original problem
                Content-Type: multipart/mixed; boundary=f

                --f
                Content-Type: text/plain

                Forwarding this.
                --f
                Content-Type: message/rfc822

                """).text(inner).text("""
                --f
                Content-Type: message/rfc822; name="Original problem"
                Content-Transfer-Encoding: base64

                """).base64(inner.getBytes(StandardCharsets.US_ASCII)).text("--f--\n").build();

        ParsedMail mail = parser.parse(raw, new ParseLimits(1024 * 1024));

        assertThat(mail.textBody()).isEqualTo("Forwarding this.");
        assertThat(mail.attachments()).extracting(Attachment::fileName, Attachment::contentType).containsExactly(
                tuple("attachment-1.eml", "message/rfc822"),
                tuple("Original problem.eml", "message/rfc822"));
        byte[] innerBytes = inner.getBytes(StandardCharsets.US_ASCII);
        // The CRLF that ends the part belongs to the next boundary.
        byte[] expected = Arrays.copyOf(innerBytes, innerBytes.length - 2);
        assertThat(mail.attachments().get(0).content()).isEqualTo(expected);
        assertThat(mail.attachments().get(1).content()).as("base64 of a message part is decoded").isEqualTo(innerBytes);
    }

    @Test
    void calendarAlternativeIsKeptAsAttachment() {
        byte[] raw = RawMail.of("""
                From: organizer@example.com
                Subject: Meeting
                Content-Type: multipart/alternative; boundary=c

                --c
                Content-Type: text/plain; charset=utf-8

                Meeting on Monday.
                --c
                Content-Type: text/calendar; charset=utf-8; method=REQUEST

                BEGIN:VCALENDAR
                END:VCALENDAR
                --c--
                """);

        ParsedMail mail = parser.parse(raw, new ParseLimits(1024));

        assertThat(mail.textBody()).isEqualTo("Meeting on Monday.");
        assertThat(mail.attachments()).extracting(Attachment::fileName, Attachment::contentType)
                .containsExactly(tuple("attachment-1.ics", "text/calendar"));
    }

    @Test
    void wholeMailThatIsOneAttachment() {
        byte[] raw = RawMail.start().text("""
                From: scanner@example.com
                Subject: Scan
                Content-Type: application/pdf; name=scan.pdf
                Content-Transfer-Encoding: base64

                """).base64("hello\n".getBytes(StandardCharsets.US_ASCII)).build();

        ParsedMail mail = parser.parse(raw, new ParseLimits(1024));

        assertThat(mail.textBody()).isEmpty();
        assertThat(mail.attachments()).singleElement().satisfies(a -> {
            assertThat(a.fileName()).isEqualTo("scan.pdf");
            assertThat(a.sha256Hex()).isEqualTo(SHA256_HELLO);
        });
    }

    @Test
    void attachmentToStringNamesTheFileNotTheBytes() {
        Attachment attachment = new Attachment("a.txt", "text/plain", 6, SHA256_HELLO, Optional.empty(), false,
                "hello\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(attachment.toString()).contains("a.txt", "6 bytes").doesNotContain("hello");
    }

    private static byte[] allByteValues(int times) {
        byte[] bytes = new byte[256 * times];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
