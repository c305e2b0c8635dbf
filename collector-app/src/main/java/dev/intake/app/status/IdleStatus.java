package dev.intake.app.status;

import dev.intake.app.idle.IdleLease;
import dev.intake.config.Durations;
import dev.intake.config.MailboxConfig;
import java.time.Instant;
import java.util.Optional;

/**
 * The IDLE of a mailbox in {@code mode: idle}, as the admin sees it on any node.
 *
 * @param state   {@code idling}, {@code fallback} (polling: the server lacks IDLE), {@code reconnecting},
 *                {@code starting}, {@code waiting} (no node idles: not collected, or the last node stopped renewing)
 * @param node    the node that idles (or last idled) for it
 * @param since   when the state began
 * @param summary one line for the page: "idling on node X since T", or the fallback's reason
 */
public record IdleStatus(String state, Optional<String> node, Optional<Instant> since, String summary) {

    static IdleStatus of(MailboxConfig mailbox, Optional<IdleLease> lease, boolean collected, Instant now) {
        if (!collected) {
            return new IdleStatus("waiting", Optional.empty(), Optional.empty(),
                    "not idling: the mailbox is not being collected (authorize or resume it)");
        }
        if (lease.isEmpty()) {
            return new IdleStatus("waiting", Optional.empty(), Optional.empty(),
                    "not idling yet: waiting for a node to take it (within a few seconds of a node starting)");
        }
        IdleLease l = lease.get();
        Optional<String> node = Optional.of(l.node());
        Optional<Instant> since = Optional.of(l.since());
        if (l.lapsed(now)) {
            return new IdleStatus("waiting", node, Optional.of(l.expiresAt()), "not idling: node " + l.node()
                    + " stopped renewing its lease at " + l.expiresAt() + "; another running node takes over within seconds");
        }
        String detail = l.detail().map(d -> ": " + d).orElse("");
        return switch (l.state()) {
            case IDLING -> new IdleStatus("idling", node, since, "idling on node " + l.node() + " since " + l.since()
                    + " (IDLE re-issued every " + Durations.format(mailbox.idle().reissueEvery()) + ")");
            case FALLBACK -> new IdleStatus("fallback", node, since, "polling every " + Durations.format(mailbox.pollEvery())
                    + " on node " + l.node() + " since " + l.since() + detail);
            case RECONNECTING -> new IdleStatus("reconnecting", node, since, "reconnecting on node " + l.node() + detail);
            case STARTING -> new IdleStatus("starting", node, since, "connecting on node " + l.node());
        };
    }
}
