package dev.intake.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as operators write them: {@code 512KB}, {@code 25MB}, {@code 1GB} or a plain number of bytes.
 * Units are binary (1 KB = 1024 bytes), as mail servers count attachment limits.
 */
public final class ByteSizes {

    private static final Pattern FORM = Pattern.compile("(\\d{1,12})\\s*(B|KB|K|MB|M|GB|G)?");

    private ByteSizes() {
    }

    /** @throws IllegalArgumentException with a message that shows the accepted forms */
    public static long parse(String text) {
        Matcher m = FORM.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write bytes or a number with KB, MB or GB: 25MB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        return switch (unit) {
            case "KB", "K" -> n * 1024;
            case "MB", "M" -> n * 1024 * 1024;
            case "GB", "G" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }

    public static String format(long bytes) {
        if (bytes >= 1024L * 1024 * 1024 && bytes % (1024L * 1024 * 1024) == 0) {
            return bytes / (1024L * 1024 * 1024) + "GB";
        }
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "MB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + "KB";
        }
        return bytes + "B";
    }
}
