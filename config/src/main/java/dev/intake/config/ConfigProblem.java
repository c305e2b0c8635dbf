package dev.intake.config;

import java.io.Serializable;

/**
 * One thing wrong with the configuration.
 *
 * @param path    where: the key path, e.g. {@code mailboxes[2].provider} (list indexes count from 0), or the
 *                file name for a problem with the file as a whole
 * @param message what is wrong and what to do about it; never contains a secret value
 */
public record ConfigProblem(String path, String message) implements Serializable {

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
