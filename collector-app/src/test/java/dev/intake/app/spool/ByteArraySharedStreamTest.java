package dev.intake.app.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.SharedInputStream;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The unlocked stream must answer every call exactly as Jakarta Mail's own shared stream does. */
class ByteArraySharedStreamTest {

    @Test
    void answersARandomSequenceOfCallsAsJakartaMailsSharedStreamDoes() throws IOException {
        Random random = new Random(20261206);
        for (int round = 0; round < 200; round++) {
            byte[] bytes = new byte[random.nextInt(2000)];
            random.nextBytes(bytes);
            InputStream expected = new SharedByteArrayInputStream(bytes);
            InputStream actual = new ByteArraySharedStream(bytes);
            for (int step = 0; step < 60; step++) {
                String call = replay(random.nextLong(), expected, actual, bytes.length);
                assertThat(((SharedInputStream) actual).getPosition())
                        .as("position after %s in round %d", call, round)
                        .isEqualTo(((SharedInputStream) expected).getPosition());
                assertThat(actual.available()).as("available after %s", call).isEqualTo(expected.available());
                if (call.startsWith("newStream")) {
                    break; // the two sub-streams were compared whole
                }
            }
        }
    }

    /** One call, chosen by {@code seed}, made on both streams; their answers must be equal. */
    private static String replay(long seed, InputStream expected, InputStream actual, int length) throws IOException {
        Random random = new Random(seed);
        switch (random.nextInt(7)) {
            case 0 -> {
                assertThat(actual.read()).as("read()").isEqualTo(expected.read());
                return "read()";
            }
            case 1 -> {
                int n = random.nextInt(300);
                byte[] a = new byte[n + 7];
                byte[] e = new byte[n + 7];
                assertThat(actual.read(a, 7, n)).as("read(buffer, 7, %d)", n).isEqualTo(expected.read(e, 7, n));
                assertThat(a).isEqualTo(e);
                return "read(buffer)";
            }
            case 2 -> {
                long n = random.nextInt(400) - 50L;
                assertThat(actual.skip(n)).as("skip(%d)", n).isEqualTo(expected.skip(n));
                return "skip(" + n + ")";
            }
            case 3 -> {
                expected.mark(10);
                actual.mark(10);
                return "mark";
            }
            case 4 -> {
                expected.reset();
                actual.reset();
                return "reset";
            }
            case 5 -> {
                assertThat(actual.readAllBytes()).isEqualTo(expected.readAllBytes());
                return "readAllBytes";
            }
            default -> {
                long from = random.nextInt(length + 1);
                long to = random.nextBoolean() ? -1 : from + random.nextInt(length - (int) from + 1);
                InputStream e = ((SharedInputStream) expected).newStream(from, to);
                InputStream a = ((SharedInputStream) actual).newStream(from, to);
                e.skip(from % 3);
                a.skip(from % 3);
                assertThat(((SharedInputStream) a).getPosition()).isEqualTo(((SharedInputStream) e).getPosition());
                assertThat(a.readAllBytes()).as("newStream(%d, %d)", from, to).isEqualTo(e.readAllBytes());
                return "newStream(" + from + ", " + to + ")";
            }
        }
    }

    @Test
    void aSubStreamOfASubStreamCountsFromItsOwnStart() throws IOException {
        byte[] bytes = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        SharedInputStream outer = (SharedInputStream) new ByteArraySharedStream(bytes).newStream(4, 14);
        InputStream inner = outer.newStream(2, 5);

        assertThat(new String(inner.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("678");
        assertThat(new String(outer.newStream(8, -1).readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("cd");
        assertThat(outer.newStream(8, 40).readAllBytes()).as("cut at the window's end").hasSize(2);
        assertThat(outer.newStream(6, 3).readAllBytes()).as("ends before it starts").isEmpty();
        assertThatThrownBy(() -> outer.newStream(-1, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jakartaMailSplitsAMultipartReadFromItIntoTheSameParts() throws Exception {
        byte[] mail = ("From: a@example.org\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nfirst part, with --b1 not at a line start\r\n"
                + "--b1\r\nContent-Type: multipart/alternative; boundary=\"b2\"\r\n\r\n"
                + "--b2\r\nContent-Type: text/plain\r\n\r\ninner text\r\n"
                + "--b2\r\nContent-Type: text/html\r\n\r\n<p>inner html</p>\r\n--b2--\r\n"
                + "--b1\r\nContent-Type: application/octet-stream\r\n\r\n" + "x".repeat(5000) + "\r\n--b1--\r\nepilogue\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        assertThat(parts(new ByteArraySharedStream(mail))).isEqualTo(parts(new SharedByteArrayInputStream(mail)))
                .containsExactly("first part, with --b1 not at a line start", "inner text", "<p>inner html</p>",
                        "x".repeat(5000));
    }

    /** The leaf parts' contents, depth first. */
    private static List<String> parts(InputStream raw) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), raw);
        List<String> leaves = new ArrayList<>();
        collect((MimeMultipart) message.getContent(), leaves);
        return leaves;
    }

    private static void collect(MimeMultipart multipart, List<String> leaves) throws Exception {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            Object content = part.getContent();
            if (content instanceof MimeMultipart nested) {
                collect(nested, leaves);
            } else if (content instanceof String text) {
                leaves.add(text);
            } else {
                leaves.add(new String(((InputStream) content).readAllBytes(), StandardCharsets.US_ASCII));
            }
        }
    }
}
