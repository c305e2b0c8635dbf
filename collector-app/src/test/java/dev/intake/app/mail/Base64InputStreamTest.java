package dev.intake.app.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base64InputStreamTest {

    /** What a stream gave before it ended or failed, and the failure. */
    private record Decoded(byte[] bytes, Optional<String> failure) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 57, 58, 12_287, 12_288, 12_289, 100_000, 1_048_576})
    void decodesWhatTheJdkEncodedWhateverTheSourceHandsOverAtATime(int size) {
        byte[] original = new byte[size];
        new Random(size).nextBytes(original);
        byte[] encoded = Base64.getMimeEncoder().encode(original);

        for (int readSize : new int[] {1, 7, 4096, 1 << 20}) {
            Decoded decoded = decode(new Base64InputStream(trickle(encoded, readSize)));

            assertThat(decoded.failure()).as("read %d at a time", readSize).isEmpty();
            assertThat(decoded.bytes()).as("read %d at a time", readSize).isEqualTo(original);
        }
    }

    /** Padding ends each encoding: the chunks around it take the exact way, the others the branch-free one. */
    @org.junit.jupiter.api.Test
    void decodesLargeEncodingsOneAfterTheOther() {
        byte[] first = new byte[40_001];
        byte[] second = new byte[30_002];
        new Random(5).nextBytes(first);
        new Random(6).nextBytes(second);
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        encoded.writeBytes(Base64.getMimeEncoder().encode(first));
        encoded.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        encoded.writeBytes(Base64.getMimeEncoder().encode(second));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(first);
        expected.writeBytes(second);

        for (int readSize : new int[] {3, 4096, 1 << 20}) {
            Decoded decoded = decode(new Base64InputStream(trickle(encoded.toByteArray(), readSize)));

            assertThat(decoded.failure()).as("read %d at a time", readSize).isEmpty();
            assertThat(decoded.bytes()).as("read %d at a time", readSize).isEqualTo(expected.toByteArray());
        }
    }

    @org.junit.jupiter.api.Test
    void readsByteByByteToo() throws IOException {
        byte[] original = new byte[10_000];
        new Random(3).nextBytes(original);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new Base64InputStream(new ByteArrayInputStream(Base64.getMimeEncoder().encode(original)))) {
            int b;
            while ((b = in.read()) != -1) {
                out.write(b);
            }
        }

        assertThat(out.toByteArray()).isEqualTo(original);
    }

    /** The same bytes and the same verdict as Jakarta Mail's decoder, on good and damaged input alike. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "aGVsbG8gd29ybGQ=             | hello world | false",
            "aGVs<CRLF>bG8g!d29y bGQ=     | hello world | false",
            "aGVsbG8=d29ybGQ=             | helloworld  | false",
            "=aGVs                        | ''          | true",
            "aGVsbG8gd29ybGQ=A            | hello world | true",
            "aGVsbG8                      | hel         | true",
            "aGVsbG8gd29ybGQ              | hello wor   | true",
            "aG=8                         | ''          | true",
            "aGVsa===                     | hel         | true",
            "''                           | ''          | false",
    })
    void agreesWithJakartaMail(String encoded, String expected, boolean damaged) throws Exception {
        byte[] input = encoded.replace("<CRLF>", "\r\n").getBytes(StandardCharsets.US_ASCII);

        Decoded ours = decode(new Base64InputStream(new ByteArrayInputStream(input)));
        Decoded jakarta = decode(MimeUtility.decode(new ByteArrayInputStream(input), "base64"));

        assertThat(ours.text()).isEqualTo(expected);
        assertThat(ours.failure().isPresent()).as("damaged").isEqualTo(damaged);
        assertThat(jakarta.failure().isPresent()).as("Jakarta Mail finds it damaged").isEqualTo(damaged);
        if (!damaged) {
            assertThat(ours.text()).isEqualTo(jakarta.text());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "aGVsbG8      | ends inside a group of four",
            "aG=8         | a base64 character after padding",
            "aGVsa===     | padding ('=') after fewer than two base64 characters",
            "=aGVs        | padding ('=') after fewer than two base64 characters",
    })
    void damageIsExplained(String encoded, String reason) {
        Decoded decoded = decode(new Base64InputStream(
                new ByteArrayInputStream(encoded.getBytes(StandardCharsets.US_ASCII))));

        assertThat(decoded.failure()).hasValueSatisfying(message -> assertThat(message).contains(reason));
    }

    /**
     * The quicker way (whole lines, the JDK decoder checking) must read every input exactly as the exact way does: the
     * same bytes, the same failure. Random encodings with lines of one length or of many, CRLF or LF, and now and then
     * what mail really carries: trailing spaces, a stray character, padding in the middle, a cut-off end.
     */
    @org.junit.jupiter.api.Test
    void readsEveryInputAsTheExactWayDoes() {
        Random random = new Random(20261206);
        for (int round = 0; round < 400; round++) {
            byte[] input = randomEncoding(random);
            int readSize = random.nextBoolean() ? 1 + random.nextInt(200) : 1 << 20;

            Decoded exact = decode(new Base64InputStream(trickle(input, readSize), false));
            Decoded quick = decode(new Base64InputStream(trickle(input, readSize), true));

            assertThat(quick.failure()).as("round %d", round).isEqualTo(exact.failure());
            assertThat(quick.bytes()).as("round %d", round).isEqualTo(exact.bytes());
        }
    }

    private static byte[] randomEncoding(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int encodings = 1 + random.nextInt(3);
        for (int e = 0; e < encodings; e++) {
            byte[] data = new byte[random.nextInt(60_000)];
            random.nextBytes(data);
            String text = Base64.getEncoder().encodeToString(data);
            int lineLength = random.nextInt(4) == 0 ? 1 + random.nextInt(100) : 76;
            String lineEnd = random.nextBoolean() ? "\r\n" : "\n";
            boolean ragged = random.nextInt(5) == 0;
            int at = 0;
            while (at < text.length()) {
                int n = Math.min(text.length() - at, ragged ? 1 + random.nextInt(120) : lineLength);
                StringBuilder line = new StringBuilder(text.substring(at, at + n));
                if (random.nextInt(300) == 0) {
                    line.insert(random.nextInt(line.length() + 1), " -\t=*".charAt(random.nextInt(5)));
                }
                if (random.nextInt(400) == 0) {
                    line.append(' ');
                }
                out.writeBytes((line + lineEnd).getBytes(StandardCharsets.US_ASCII));
                at += n;
            }
        }
        byte[] all = out.toByteArray();
        return random.nextInt(10) == 0 ? java.util.Arrays.copyOf(all, random.nextInt(all.length + 1)) : all;
    }

    private static Decoded decode(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[5000];
        try (in) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
            }
            return new Decoded(out.toByteArray(), Optional.empty());
        } catch (IOException e) {
            return new Decoded(out.toByteArray(), Optional.of(String.valueOf(e.getMessage())));
        }
    }

    /** A source that hands over at most {@code readSize} bytes per read, as a socket or a sub-stream may. */
    private static InputStream trickle(byte[] bytes, int readSize) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, readSize));
            }
        };
    }
}
