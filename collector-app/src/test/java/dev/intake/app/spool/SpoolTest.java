package dev.intake.app.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpoolTest {

    @Test
    void smallContentStaysInMemoryWithItsSizeAndHash() throws Exception {
        byte[] bytes = random(1000);
        Spool spool;
        try (SpoolWriter writer = new SpoolWriter(4096)) {
            writer.write(bytes, 0, 600);
            writer.write(bytes, 600, 400);
            spool = writer.finish();
        }

        assertThat(spool.inMemory()).isTrue();
        assertThat(spool.size()).isEqualTo(1000);
        assertThat(spool.sha256Hex()).isEqualTo(sha256(bytes));
        assertThat(spool.readAllBytes()).isEqualTo(bytes);
        assertThat(spool.toString()).contains("1000 bytes", "in memory");
    }

    @Test
    void contentOverTheLimitGoesToATemporaryFileThatCloseDeletes() throws Exception {
        byte[] bytes = random(10_000);
        Spool spool;
        try (SpoolWriter writer = new SpoolWriter(4096)) {
            for (int i = 0; i < bytes.length; i += 1000) {
                writer.write(bytes, i, 1000);
            }
            spool = writer.finish();
        }

        assertThat(spool.inMemory()).isFalse();
        assertThat(spool.size()).isEqualTo(10_000);
        assertThat(spool.sha256Hex()).isEqualTo(sha256(bytes));
        try (InputStream in = spool.openStream()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        try (InputStream shared = spool.openShared()) {
            assertThat(shared).isInstanceOf(jakarta.mail.internet.SharedInputStream.class);
            assertThat(shared.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(spool.head(10)).isEqualTo(java.util.Arrays.copyOf(bytes, 10));

        spool.close();
        spool.close();

        assertThatThrownBy(spool::openStream).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void anUnfinishedWriterLeavesNoFileBehind() throws Exception {
        SpoolWriter writer = new SpoolWriter(10);
        writer.write(random(100), 0, 100);
        MessageDigest soFar = writer.digestSoFar();
        writer.close();

        assertThat(HexFormat.of().formatHex(soFar.digest())).hasSize(64);
        assertThatThrownBy(() -> writer.write(1)).isInstanceOf(IOException.class);
    }

    @Test
    void bytesInMemoryAreTakenOverAndHashed() {
        byte[] bytes = random(50);

        Spool spool = Spool.of(bytes);

        assertThat(spool.sha256Hex()).isEqualTo(sha256(bytes));
        assertThat(spool.readAllBytes()).isEqualTo(bytes).isNotSameAs(bytes);
    }

    @Test
    void partOfAnArrayIsAllTheSpoolShows() throws Exception {
        byte[] around = random(300);
        byte[] part = java.util.Arrays.copyOfRange(around, 100, 220);

        Spool spool = Spool.of(around, 100, 120);

        assertThat(spool.size()).isEqualTo(120);
        assertThat(spool.sha256Hex()).isEqualTo(sha256(part));
        assertThat(spool.readAllBytes()).isEqualTo(part);
        assertThat(spool.head(7)).isEqualTo(java.util.Arrays.copyOf(part, 7));
        try (InputStream in = spool.openStream()) {
            assertThat(in.readAllBytes()).isEqualTo(part);
        }
        try (InputStream shared = spool.openShared()) {
            assertThat(shared.readAllBytes()).isEqualTo(part);
        }
        assertThatThrownBy(() -> Spool.of(around, 250, 51)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void theExpectedSizeChangesNothingButWhereTheBytesGoWhenItIsWrong() throws Exception {
        byte[] bytes = random(5000);
        for (long expected : new long[] {0, 1, 4999, 5000, 5001, 60_000, 1_000_000}) {
            Spool spool;
            try (SpoolWriter writer = new SpoolWriter(8192, expected)) {
                for (int i = 0; i < bytes.length; i += 700) {
                    writer.write(bytes, i, Math.min(700, bytes.length - i));
                }
                spool = writer.finish();
            }
            assertThat(spool.inMemory()).as("expected %d", expected).isTrue();
            assertThat(spool.size()).isEqualTo(5000);
            assertThat(spool.sha256Hex()).isEqualTo(sha256(bytes));
            assertThat(spool.readAllBytes()).as("expected %d", expected).isEqualTo(bytes);
        }
        Spool large;
        try (SpoolWriter writer = new SpoolWriter(4096, 5000)) {
            writer.write(bytes, 0, 3000);
            writer.write(bytes, 3000, 2000);
            large = writer.finish();
        }
        assertThat(large.inMemory()).as("over the memory limit, expected or not").isFalse();
        assertThat(large.readAllBytes()).isEqualTo(bytes);
        large.close();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
