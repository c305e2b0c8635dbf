package dev.intake.bench.imap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time of a process tree from Linux's {@code /proc/PID/stat}: the process, its live descendants, and the children
 * each of them has already reaped ({@code cutime}, {@code cstime}). Dovecot runs a process per IMAP session and reaps
 * it when the session ends, so the master's reaped time is where a finished session's work is found.
 */
public final class ProcessCpu {

    /** Linux's USER_HZ: the unit of the times in /proc/PID/stat, 100 on every Linux the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessCpu() {
    }

    /** Seconds of CPU used by the process and its descendants; 0 when /proc cannot be read (not Linux). */
    public static double ofTree(long pid) {
        Optional<ProcessHandle> root = ProcessHandle.of(pid);
        if (root.isEmpty()) {
            return 0;
        }
        double seconds = ofProcess(pid);
        for (ProcessHandle child : root.get().descendants().toList()) {
            seconds += ofProcess(child.pid());
        }
        return seconds;
    }

    /** Seconds of CPU used by one process and the children it has reaped. */
    static double ofProcess(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: the fields that follow start after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            // After the name: state is fields[0], so utime (field 14) is fields[11], then stime, cutime, cstime.
            long ticks = 0;
            for (int i = 11; i <= 14; i++) {
                ticks += Long.parseLong(fields[i]);
            }
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
