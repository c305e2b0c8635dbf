package dev.intake.app.collect;

import dev.intake.app.imap.ImapException;
import dev.intake.app.imap.ImapSession;
import dev.intake.config.MailboxConfig;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The folders a mailbox's mail is moved to, checked (and created) once per node rather than at every poll: a check is
 * a LIST or two per folder, and for a mailbox with nothing new those round trips were most of the poll. A folder is
 * checked again after a move to it failed (someone deleted or renamed it), and whenever the configuration names
 * another folder or server.
 */
final class TargetFolders {

    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    /** Makes sure the accepted and refused folders of {@code mailbox} exist on the session's server. */
    void ensure(ImapSession session, MailboxConfig mailbox) throws ImapException {
        if (mailbox.postAction() == dev.intake.config.PostAction.MOVE) {
            ensure(session, mailbox, mailbox.acceptedFolder().orElseThrow());
        }
        Optional<String> refused = mailbox.refusedFolder();
        if (refused.isPresent()) {
            ensure(session, mailbox, refused.get());
        }
    }

    /** Forgets the mailbox's folders, so that the next run checks them again (after a move failed). */
    void forget(MailboxConfig mailbox) {
        checked.removeIf(key -> key.startsWith(mailbox.id() + '\n'));
    }

    private void ensure(ImapSession session, MailboxConfig mailbox, String folder) throws ImapException {
        String key = mailbox.id() + '\n' + session.target().host() + ':' + session.target().port() + '\n'
                + session.target().user() + '\n' + folder + '\n' + mailbox.createFolders();
        if (!checked.contains(key)) {
            session.ensureFolder(folder, mailbox.createFolders());
            checked.add(key);
        }
    }
}
