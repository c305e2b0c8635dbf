package dev.intake.app.web;

import java.util.List;

/** Runs an {@code intake} command inside this node, for a command started beside it on the same H2 file. */
@FunctionalInterface
public interface LocalCommands {

    /** What the command printed and returned. */
    record Result(int exitCode, String out, String err) {
    }

    Result run(List<String> args);
}
