package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mail that breaks the rules must still become something a person can read, and never an exception. */
class MalformedMailTest {

    private static final ParseLimits LIMITS = new ParseLimits(1024 * 1024);
    private final MailParser parser = new MailParser();

    @Test
    void wrongBoundaryNameIsRecoveredFromTheBody() {
        byte[] raw = RawMail.of("""
                From: a@example.com
                Subject: wrong boundary
                Content-Type: multipart/mixed; boundary="declared"

                --actual
                Content-Type: text/plain

                The text.
                --actual
                Content-Type: text/plain
                Content-Disposition: attachment; filename=note.txt

                The note.
                --actual--
                """);

        ParsedMail mail = parser.parse(raw, LIMITS);

        assertThat(mail.subject()).isEqualTo("wrong boundary");
        assertThat(mail.textBody()).isEqualTo("The text.");
        assertThat(mail.attachments()).extracting(Attachment::fileName)
                .containsExactly("note.txt", MailParser.ORIGINAL_MESSAGE);
        assertThat(mail.malformed()).isTrue();
        assertThat(mail.malformedReason()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("the multipart/mixed boundary in Content-Type does not occur in the body"));
    }

    @Test
    void multipartWithoutAnyBoundaryKeepsHeadersAndShowsRawText() {
        byte[] raw = RawMail.of("""
                From: Alice <a@example.com>
                Subject: no parts at all
                Message-ID: <broken.1@example.com>
                Content-Type: multipart/mixed; boundary="nowhere"

                Just some text
                that was never split into parts.
                """);

        ParsedMail mail = parser.parse(raw, LIMITS);

        assertThat(mail.malformed()).isTrue();
        assertThat(mail.malformedReason()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("the MIME structure could not be read (Missing start boundary)"));
        assertThat(mail.subject()).isEqualTo("no parts at all");
        assertThat(mail.from()).contains(new MailAddress("a@example.com", Optional.of("Alice")));
        assertThat(mail.messageId()).contains("<broken.1@example.com>");
        assertThat(mail.textBody()).isEqualTo("Just some text\nthat was never split into parts.");
        Attachment original = mail.attachments().get(0);
        assertThat(original.fileName()).isEqualTo("original-message.eml");
        assertThat(original.content()).isEqualTo(raw);
    }

    @Test
    void truncatedMailKeepsWhatArrived() {
        byte[] raw = RawMail.of("""
                From: a@example.com
                Subject: cut off
                Content-Type: multipart/mixed; boundary=t

                --t
                Content-Type: text/plain

                Text survives.
                --t
                Content-Type: application/octet-stream
                Content-Disposition: attachment; filename=data.bin
                Content-Transfer-Encoding: base64

                aGVsbG8gd29ybGQgaGVsbG8gd29y""");

        ParsedMail mail = parser.parse(raw, LIMITS);

        assertThat(mail.textBody()).isEqualTo("Text survives.");
        assertThat(mail.malformed()).isTrue();
        assertThat(mail.malformedReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("the mail ends inside a multipart/mixed part (truncated?)"));
        assertThat(mail.attachments()).extracting(Attachment::fileName)
                .containsExactly("data.bin", MailParser.ORIGINAL_MESSAGE);
        assertThat(new String(mail.attachments().get(0).content(), StandardCharsets.US_ASCII))
                .isEqualTo("hello world hello wor");
    }

    @Test
    void base64ThatBreaksOffKeepsTheDecodedStart() {
        byte[] raw = RawMail.of("""
                From: a@example.com
                Subject: bad base64
                Content-Type: multipart/mixed; boundary=b

                --b
                Content-Type: text/plain

                Body.
                --b
                Content-Type: application/octet-stream
                Content-Disposition: attachment; filename=bad.bin
                Content-Transfer-Encoding: base64

                aGVsbG8gd29ybGQ=A
                --b--
                """);

        ParsedMail mail = parser.parse(raw, LIMITS);

        assertThat(mail.textBody()).isEqualTo("Body.");
        assertThat(mail.attachments().get(0).fileName()).isEqualTo("bad.bin");
        assertThat(mail.attachments().get(0).content()).isEqualTo("hello world".getBytes(StandardCharsets.US_ASCII));
        assertThat(mail.malformedReason()).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("attachment 'bad.bin' is damaged ("));
    }

    @Test
    void binaryGarbageIsNoExceptionAndKeptAsText() {
        byte[] garbage = new byte[4096];
        new Random(20250303L).nextBytes(garbage);

        ParsedMail mail = parser.parse(garbage, LIMITS);

        assertThat(mail.malformed()).isTrue();
        assertThat(mail.malformedReason()).contains("no mail headers found: this is not a mail, or its beginning is missing");
        assertThat(mail.fingerprint()).isEqualTo(PartContent.sha256Hex(garbage));
        assertThat(mail.textBody()).isNotEmpty().doesNotContain("\u0000");
        assertThat(mail.attachments()).singleElement().satisfies(a -> assertThat(a.content()).isEqualTo(garbage));
    }

    @Test
    void bodyWithoutAnyHeadersIsKeptAsText() {
        ParsedMail mail = parser.parse(RawMail.of("Hello, this arrived without headers.\nSecond line.\n"), LIMITS);

        assertThat(mail.malformed()).isTrue();
        assertThat(mail.textBody()).isEqualTo("Hello, this arrived without headers.\nSecond line.");
        assertThat(mail.subject()).isEmpty();
        assertThat(mail.from()).isEmpty();
        assertThat(mail.contentType()).isEqualTo("text/plain");
    }

    @Test
    void emptyInputIsNoException() {
        ParsedMail mail = parser.parse(new byte[0], LIMITS);

        assertThat(mail.malformed()).isTrue();
        assertThat(mail.textBody()).isEmpty();
        assertThat(mail.fingerprint()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void missingEnvelopeHeadersAreEmptyButNotMalformed() {
        ParsedMail mail = parser.parse(RawMail.of("X-Mailer: something\n\nNo From, no Date, no Message-ID.\n"), LIMITS);

        assertThat(mail.malformed()).isFalse();
        assertThat(mail.from()).isEmpty();
        assertThat(mail.date()).isEmpty();
        assertThat(mail.messageId()).isEmpty();
        assertThat(mail.subject()).isEmpty();
        assertThat(mail.textBody()).isEqualTo("No From, no Date, no Message-ID.");
    }

    @Test
    void unclosedQuoteInContentTypeStillFindsTheParts() {
        ParsedMail mail = parser.parse(RawMail.of("""
                From: a@example.com
                Subject: sloppy type
                Content-Type: multipart/alternative; boundary="q1

                --q1
                Content-Type: text/plain; charset="utf-8

                Plain.
                --q1
                Content-Type: text/html

                <b>Bold</b>
                --q1--
                """), LIMITS);

        assertThat(mail.textBody()).isEqualTo("Plain.");
        assertThat(mail.htmlBody()).contains("<b>Bold</b>");
        assertThat(mail.malformed()).isFalse();
    }

    @Test
    void garbageContentTypeIsReadAsText() {
        ParsedMail mail = parser.parse(RawMail.of("From: a@example.com\nContent-Type: ???\n\nStill text.\n"), LIMITS);

        assertThat(mail.contentType()).isEqualTo("text/plain");
        assertThat(mail.textBody()).isEqualTo("Still text.");
    }

    @Test
    void unknownTransferEncodingKeepsThePartAsSent() {
        ParsedMail mail = parser.parse(RawMail.of("""
                From: a@example.com
                Content-Type: text/plain
                Content-Transfer-Encoding: x-rot13

                Uryyb
                """), LIMITS);

        assertThat(mail.textBody()).isEqualTo("Uryyb");
        assertThat(mail.warnings()).containsExactly("unknown transfer encoding 'x-rot13'; a part was kept as sent");
    }

    @Test
    void absurdNestingStopsAtALimit() {
        StringBuilder mail = new StringBuilder("From: a@example.com\nSubject: deep\n");
        int depth = 40;
        for (int i = 0; i < depth; i++) {
            mail.append("Content-Type: multipart/mixed; boundary=b").append(i).append("\n\n--b").append(i).append('\n');
        }
        mail.append("Content-Type: text/plain\n\nbottom\n");
        for (int i = depth - 1; i >= 0; i--) {
            mail.append("--b").append(i).append("--\n");
        }

        ParsedMail parsed = parser.parse(RawMail.of(mail.toString()), LIMITS);

        assertThat(parsed.warnings()).contains("MIME parts nested deeper than 20 levels were attached unread");
        assertThat(parsed.attachments()).extracting(Attachment::fileName).containsExactly("attachment-1.bin");
    }

    @Test
    void originalOverTheAttachmentLimitIsNotedAsDropped() {
        byte[] raw = RawMail.of("""
                From: a@example.com
                Content-Type: multipart/mixed; boundary="none"

                no boundary here, and this mail is larger than the tiny limit
                """);

        ParsedMail mail = parser.parse(raw, new ParseLimits(10));

        assertThat(mail.malformed()).isTrue();
        assertThat(mail.droppedAttachments()).containsExactly(new DroppedAttachment("original-message.eml", raw.length));
    }

    @Test
    void aBrokenConnectionIsAnIoExceptionNotABadMail() {
        InputStream failing = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 10) {
                    return 'x';
                }
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> parser.parse(failing, LIMITS)).isInstanceOf(IOException.class)
                .hasMessage("connection reset");
    }
}
