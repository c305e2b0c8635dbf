package dev.intake.app.delivery;

import java.util.Optional;

/** An item the outbox writer adds, before it has a row. */
record NewItem(String target, ItemKind kind, boolean notification, Optional<String> mailboxId, Optional<Long> ticket,
        Optional<Long> followup, Optional<Long> attachment, long event) {
}
