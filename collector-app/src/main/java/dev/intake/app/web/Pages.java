package dev.intake.app.web;

import io.javalin.http.Context;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders the HTML pages from Pebble templates in {@code templates/}. Pebble escapes every expression for HTML by
 * default, so mail subjects, addresses and provider messages can never inject markup.
 */
public final class Pages {

    private final PebbleEngine engine;

    public Pages() {
        ClasspathLoader loader = new ClasspathLoader();
        loader.setPrefix("templates/");
        loader.setSuffix(".peb");
        this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false).build();
    }

    public String render(String template, Map<String, Object> model) {
        PebbleTemplate t = engine.getTemplate(template);
        StringWriter out = new StringWriter();
        try {
            t.evaluate(out, new HashMap<>(model));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Renders into the response with the status given. */
    public void respond(Context ctx, int status, String template, Map<String, Object> model) {
        ctx.status(status).contentType("text/html; charset=utf-8").result(render(template, model));
    }
}
