package dev.intake.app.web;

import dev.intake.app.status.MailboxStatus;

/**
 * A mailbox as its row and page show it.
 *
 * @param tone        how the state is coloured: ok, warn, bad or muted
 * @param collected   whether it is being collected now (so "Poll now" can work)
 * @param idle        for a mailbox in mode: idle, its IDLE in one line (node, since, or the fallback's reason)
 * @param idleTone    how that line is coloured
 */
record MailboxView(
        String id,
        String provider,
        String address,
        String delegate,
        String state,
        String tone,
        String account,
        Times.Shown authorizedAt,
        Times.Shown lastPoll,
        Times.Shown lastSuccess,
        String lastError,
        Times.Shown lastErrorAt,
        int consecutiveFailures,
        boolean stale,
        String stateReason,
        long tickets,
        int refused,
        boolean authorized,
        boolean collected,
        boolean pausedByAdmin,
        boolean pausedInConfig,
        boolean appOnly,
        Times.Shown lastToken,
        String idle,
        String idleTone) {

    static MailboxView of(MailboxStatus s, Times times, long tickets, int refused, boolean pausedByAdmin,
            boolean pausedInConfig) {
        boolean authorized = !s.display().equals("not authorized");
        boolean collected = s.display().equals("active") || s.display().equals("failing");
        return new MailboxView(s.id(), s.provider(), s.address(), s.delegate().orElse(null), s.display(), tone(s),
                s.account().orElse(null), times.show(s.authorizedAt()), times.show(s.lastPollAt()),
                times.show(s.lastSuccessAt()), s.lastError().orElse(null), times.show(s.lastErrorAt()),
                s.consecutiveFailures(), s.stale(), s.stateReason().orElse(null), tickets, refused, authorized, collected,
                pausedByAdmin, pausedInConfig, s.appOnly(), times.show(s.lastTokenAt()),
                s.idle().map(i -> i.summary()).orElse(null),
                s.idle().map(i -> switch (i.state()) {
                    case "idling" -> "ok";
                    case "fallback", "starting", "waiting" -> "warn";
                    default -> "bad";
                }).orElse(null));
    }

    private static String tone(MailboxStatus s) {
        return switch (s.display()) {
            case "active" -> s.stale() ? "warn" : "ok";
            case "failing", "needs re-authorization" -> "bad";
            case "paused" -> "warn";
            default -> "muted";
        };
    }
}
