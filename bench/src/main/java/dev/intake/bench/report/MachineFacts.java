package dev.intake.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What a result depends on besides the code: CPU, cores, memory, OS, JDK, and how busy the machine was. */
public record MachineFacts(String cpu, int cores, long memoryBytes, String os, String jdk, String loadAverage) {

    public static MachineFacts read() {
        return new MachineFacts(cpuModel(), Runtime.getRuntime().availableProcessors(), memTotal(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                currentLoadAverage());
    }

    /** The load average now (1, 5, 15 minutes), from /proc/loadavg; "n/a" elsewhere. */
    public static String currentLoadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    public String describe() {
        return cpu + ", " + cores + " cores, " + (memoryBytes > 0 ? String.format(Locale.ROOT, "%.1f GB RAM, ",
                memoryBytes / (1024.0 * 1024 * 1024)) : "") + os + ", " + jdk + "; load average at start " + loadAverage;
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return System.getProperty("os.arch");
    }

    private static long memTotal() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return -1;
    }
}
