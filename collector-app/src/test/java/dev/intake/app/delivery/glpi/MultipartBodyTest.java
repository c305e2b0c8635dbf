package dev.intake.app.delivery.glpi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link MultipartBody}: what it publishes, byte for byte. Its reading by a PHP-like parser is in GlpiLegacyTargetTest. */
class MultipartBodyTest {

    @Test
    void theBodyIsRfc7578FormDataWithTheDeclaredLength() throws Exception {
        byte[] file = GlpiLegacyTargetTest.binary(70_000);
        MultipartBody body = new MultipartBody()
                .field("uploadManifest", "{\"input\":{\"name\":\"été\"}}")
                .file("filename[0]", "a.bin", "application/octet-stream", () -> new ByteArrayInputStream(file),
                        file.length);
        String boundary = body.contentType().substring("multipart/form-data; boundary=".length());
        BodyPublisher publisher = body.publisher();

        byte[] sent = publish(publisher);

        assertThat(publisher.contentLength()).isEqualTo(sent.length);
        String head = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"uploadManifest\"\r\n\r\n"
                + "{\"input\":{\"name\":\"été\"}}\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"filename[0]\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        byte[] expectedHead = head.getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(expectedHead);
        expected.write(file);
        expected.write(tail);
        assertThat(sent).isEqualTo(expected.toByteArray());
        assertThat(boundary).matches("intake-[0-9a-f]{32}");
    }

    @Test
    void fileNamesAreQuotedStringsThatPhpReadsBackWithoutPaths() {
        assertThat(MultipartBody.quote("rapport \"final\" – été.pdf")).isEqualTo("rapport \\\"final\\\" – été.pdf");
        assertThat(MultipartBody.quote("C:\\Users\\x/report.pdf")).isEqualTo("C:_Users_x_report.pdf");
        assertThat(MultipartBody.quote("two\r\nlines.txt")).isEqualTo("two  lines.txt");
    }

    @Test
    void theContentIsReadWhenSentAndAgainForEachSend() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        byte[] file = {0, 1, 2, (byte) 0xff};
        MultipartBody body = new MultipartBody().file("filename[0]", "x", "application/octet-stream", () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(file);
        }, file.length);

        BodyPublisher publisher = body.publisher();
        assertThat(opened).hasValue(0);

        byte[] first = publish(publisher);
        byte[] second = publish(publisher);

        assertThat(opened).hasValue(2);
        assertThat(second).isEqualTo(first);
    }

    private static byte[] publish(BodyPublisher publisher) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.write(bytes, 0, bytes.length);
            }

            @Override
            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                done.complete(out.toByteArray());
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }
}
