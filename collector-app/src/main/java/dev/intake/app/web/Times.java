package dev.intake.app.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Times as the pages show them: "5 minutes ago" to read at a glance, with the exact UTC time beside it (in a
 * tooltip), since a page without script cannot know the browser's time zone.
 */
final class Times {

    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Clock clock;

    Times(Clock clock) {
        this.clock = clock;
    }

    /** A time as shown: {@code label} relative to now, {@code exact} in UTC. */
    record Shown(String label, String exact, String iso) {
    }

    Shown show(Instant t) {
        return new Shown(ago(t), EXACT.format(t), t.toString());
    }

    Shown show(Optional<Instant> t) {
        return t.map(this::show).orElse(null);
    }

    String ago(Instant t) {
        Duration d = Duration.between(t, clock.instant());
        boolean future = d.isNegative();
        long s = Math.abs(d.toSeconds());
        String amount;
        if (s < 45) {
            return future ? "in a few seconds" : "just now";
        } else if (s < 90 * 60) {
            amount = plural(Math.max(1, Math.round(s / 60.0)), "minute");
        } else if (s < 36 * 3600) {
            amount = plural(Math.round(s / 3600.0), "hour");
        } else {
            amount = plural(Math.round(s / 86400.0), "day");
        }
        return future ? "in " + amount : amount + " ago";
    }

    static String exact(Instant t) {
        return EXACT.format(t);
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
