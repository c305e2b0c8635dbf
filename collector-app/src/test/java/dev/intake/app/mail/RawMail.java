package dev.intake.app.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Builds raw mail bytes exactly as a server would hand them over: CRLF line ends, bytes chosen by the test. */
final class RawMail {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    static RawMail start() {
        return new RawMail();
    }

    /** ASCII lines; {@code \n} becomes CRLF. */
    RawMail text(String lines) {
        bytes.writeBytes(crlf(lines).getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** Text encoded in {@code charset}; {@code \n} becomes CRLF. */
    RawMail text(String lines, Charset charset) {
        bytes.writeBytes(crlf(lines).getBytes(charset));
        return this;
    }

    RawMail bytes(byte[] raw) {
        bytes.writeBytes(raw);
        return this;
    }

    /** Base64 with 76-character lines, as mailers write it. */
    RawMail base64(byte[] content) {
        bytes.writeBytes(Base64.getMimeEncoder().encode(content));
        bytes.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    byte[] build() {
        return bytes.toByteArray();
    }

    /** A whole ASCII mail in one go. */
    static byte[] of(String lines) {
        return start().text(lines).build();
    }

    static byte[] resource(String name) {
        try (InputStream in = RawMail.class.getResourceAsStream("/mail/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /mail/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String crlf(String lines) {
        return lines.replace("\r\n", "\n").replace("\n", "\r\n");
    }
}
