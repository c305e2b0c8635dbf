package dev.intake.app.collect;

import dev.intake.app.imap.ImapException;
import dev.intake.app.imap.ImapFolder;
import dev.intake.app.ledger.Outcome;
import dev.intake.app.ledger.ProcessedMessage;
import dev.intake.app.ledger.LedgerStore;
import dev.intake.config.MailboxConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The server-side action on messages whose outcome is committed: move to the accepted / refused folder, flag
 * \Seen, or delete. Done per batch by UID set, and only for records still marked pending, so a crash between the
 * commit and the action is finished by the next run without a second ticket.
 *
 * <p>Refused mail is never deleted: it goes to {@code refused-folder} when one is configured, else it is flagged
 * \Seen and left where it is, so a wrongly refused message can still be found on the server.
 */
final class PostActions {

    private final ImapFolder folder;
    private final MailboxConfig mailbox;
    private final LedgerStore ledger;
    private final Runnable makeCommitsDurable;

    PostActions(ImapFolder folder, MailboxConfig mailbox, LedgerStore ledger, Runnable makeCommitsDurable) {
        this.folder = folder;
        this.mailbox = mailbox;
        this.ledger = ledger;
        this.makeCommitsDurable = makeCommitsDurable;
    }

    void finishPending(long uidValidity) throws ImapException {
        List<ProcessedMessage> pending = ledger.pendingPostActions(mailbox.id(), mailbox.folder(), uidValidity);
        if (pending.isEmpty()) {
            return;
        }
        makeCommitsDurable.run();
        List<Long> accepted = new ArrayList<>();
        List<Long> refused = new ArrayList<>();
        for (ProcessedMessage m : pending) {
            (m.outcome() == Outcome.REFUSED ? refused : accepted).add(m.key().uid());
        }
        if (!accepted.isEmpty()) {
            switch (mailbox.postAction()) {
                case MOVE -> folder.moveTo(accepted, mailbox.acceptedFolder().orElseThrow());
                case SEEN -> folder.flagSeen(accepted);
                case DELETE -> folder.delete(accepted);
            }
        }
        if (!refused.isEmpty()) {
            if (mailbox.refusedFolder().isPresent()) {
                folder.moveTo(refused, mailbox.refusedFolder().get());
            } else {
                folder.flagSeen(refused);
            }
        }
        ledger.postActionsDone(pending.stream().map(ProcessedMessage::id).toList());
    }
}
