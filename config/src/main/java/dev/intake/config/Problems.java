package dev.intake.config;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of one load, so the operator sees them all at once and not one per attempt. */
final class Problems {

    private final List<ConfigProblem> list = new ArrayList<>();

    void add(String path, String message) {
        list.add(new ConfigProblem(path.isEmpty() ? "(top level)" : path, message));
    }

    /** Adds the line the problem is on, which is what an operator looks for first. */
    void add(String path, String message, int line) {
        add(path, line > 0 ? message + " (line " + line + ")" : message);
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<ConfigProblem> all() {
        return List.copyOf(list);
    }
}
