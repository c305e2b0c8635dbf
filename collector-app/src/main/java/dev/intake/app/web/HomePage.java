package dev.intake.app.web;

import java.util.Map;

/** The model of the start page; the full admin UI builds on it. */
@FunctionalInterface
public interface HomePage {
    Map<String, Object> model();
}
