package dev.intake.app.collect;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mailboxes whose scheduled and IDLE runs wait for the recovery after an unclean end on H2 to have had its go: a run
 * before it would take the mail that arrived after the messages the database lost, ahead of them (a reply before the
 * request it answers). Each mailbox is let go after one recovery attempt, successful or not, so that a recovery that
 * cannot work never stops collection.
 */
public final class RecoveryGate {

    private final Set<String> held = ConcurrentHashMap.newKeySet();

    public void hold(Collection<String> mailboxIds) {
        held.addAll(mailboxIds);
    }

    public void release(String mailboxId) {
        held.remove(mailboxId);
    }

    boolean holds(String mailboxId) {
        return held.contains(mailboxId);
    }
}
