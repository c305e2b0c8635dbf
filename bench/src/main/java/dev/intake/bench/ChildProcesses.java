package dev.intake.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The processes the benchmark starts (IMAP server, Intake nodes). Each is stopped when its scenario ends, all of
 * them when the benchmark exits however it exits (a shutdown hook), and each child also watches this process and
 * ends itself when it disappears (see {@link ParentWatch}). Their ids are written to a file so that the {@code run}
 * script can stop exactly these processes should the JVM be killed outright.
 */
public final class ChildProcesses {

    private static final List<Process> started = new ArrayList<>();
    private static Path pidFile;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::stopAll, "bench-stop-children"));
    }

    private ChildProcesses() {
    }

    /** Where to list the children's process ids (one per line). */
    public static synchronized void writePidsTo(Path file) {
        pidFile = file;
    }

    public static synchronized void register(Process process) {
        started.add(process);
        if (pidFile != null) {
            try {
                Files.writeString(pidFile, process.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("could not record the child process id in " + pidFile, e);
            }
        }
    }

    /** Asks the process to end (SIGTERM), and forces it after {@code graceSeconds}. */
    public static void stop(Process process, int graceSeconds) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static synchronized void stopAll() {
        for (Process p : started) {
            stop(p, 5);
        }
    }
}
