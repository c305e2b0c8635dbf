package dev.intake.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The OpenAPI 3.1 description of the JSON API, kept as a document beside the code (a test checks it against the
 * routes Javalin really serves, so the two cannot drift apart).
 */
final class OpenApi {

    private static final String RESOURCE = "/api/openapi.json";
    private static volatile String document;

    private OpenApi() {
    }

    static String document() {
        String d = document;
        if (d == null) {
            try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the jar");
                }
                d = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            document = d;
        }
        return d;
    }
}
