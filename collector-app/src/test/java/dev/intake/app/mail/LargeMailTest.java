package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.intake.app.spool.Spool;
import dev.intake.app.spool.SpoolWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mail larger than what is kept in memory: parsed from its temporary file, with its large attachments in
 * temporary files of their own, which closing the parsed mail deletes.
 */
class LargeMailTest {

    private final MailParser parser = new MailParser();

    @Test
    void aLargeAttachmentIsDecodedIntoATemporaryFileAndClosingTheMailDeletesIt() throws Exception {
        byte[] file = new byte[3 * SpoolWriter.DEFAULT_MEMORY_LIMIT];
        new Random(1).nextBytes(file);
        byte[] raw = RawMail.start().text("""
                From: Ann <ann@example.com>
                Subject: the scan
                Message-ID: <scan@example.com>
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b"

                --b
                Content-Type: text/plain; charset=utf-8

                Scan attached.
                --b
                Content-Type: application/pdf; name="scan.pdf"
                Content-Disposition: attachment; filename="scan.pdf"
                Content-Transfer-Encoding: base64

                """).base64(file).text("--b--\n").build();

        try (Spool spool = onDisk(raw)) {
            ParsedMail mail = parser.parse(spool, new ParseLimits(10L * 1024 * 1024));
            Attachment scan = mail.attachments().get(0);

            assertThat(spool.inMemory()).isFalse();
            assertThat(mail.fingerprint()).isEqualTo(sha256(raw));
            assertThat(mail.subject()).isEqualTo("the scan");
            assertThat(mail.textBody()).isEqualTo("Scan attached.");
            assertThat(scan.size()).isEqualTo(file.length);
            assertThat(scan.sha256Hex()).isEqualTo(sha256(file));
            assertThat(scan.spool().inMemory()).isFalse();
            try (InputStream in = scan.openContent()) {
                assertThat(in.readAllBytes()).isEqualTo(file);
            }

            mail.close();

            assertThatThrownBy(() -> scan.spool().openStream()).isInstanceOf(NoSuchFileException.class);
        }
    }

    @Test
    void aLargeMailWithoutHeadersShowsItsBeginningAndKeepsAllOfItAsTheOriginal() throws Exception {
        byte[] raw = new byte[MailParser.MAX_RAW_TEXT + 1000];
        java.util.Arrays.fill(raw, (byte) 'x');

        try (Spool spool = onDisk(raw); ParsedMail mail = parser.parse(spool, new ParseLimits(64L * 1024 * 1024))) {
            assertThat(mail.malformed()).isTrue();
            assertThat(mail.textBody()).startsWith("xxxx").endsWith("see the attached original.]");
            assertThat(mail.textBody().length()).isLessThan(MailParser.MAX_RAW_TEXT + 200);
            assertThat(mail.attachments()).singleElement().satisfies(original -> {
                assertThat(original.fileName()).isEqualTo(MailParser.ORIGINAL_MESSAGE);
                assertThat(original.size()).isEqualTo(raw.length);
                assertThat(original.sha256Hex()).isEqualTo(sha256(raw));
            });
        }
    }

    private static Spool onDisk(byte[] raw) throws IOException {
        try (SpoolWriter writer = new SpoolWriter(1024)) {
            writer.write(raw);
            return writer.finish();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
