package dev.intake.app.imap;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.iap.ResponseHandler;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder watched with IMAP IDLE (RFC 2177) through Angus Mail's {@link IMAPFolder#idle(boolean)}: the calling
 * thread waits in IDLE until the server says something; an {@code EXISTS} means new mail.
 *
 * <p>The folder is opened read-only (EXAMINE): watching changes nothing, and the collection that follows uses its own
 * session. {@link #wake()} ends the IDLE in progress from another thread (Angus sends {@code DONE} when any other
 * thread needs the folder's connection), which is how the IDLE is re-issued before the server's timeout and how a
 * stopping node leaves it. A socket read timeout during IDLE is ignored by Angus; a dead connection is noticed at the
 * latest when {@code DONE} gets no answer within the read timeout.
 */
public final class ImapIdle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ImapIdle.class);

    private final ImapSession session;
    private final IMAPFolder folder;
    private final String name;
    private final ServerByeRecorder bye;
    private final NewMailRecorder newMail;

    private ImapIdle(ImapSession session, IMAPFolder folder, String name, ServerByeRecorder bye, NewMailRecorder newMail) {
        this.session = session;
        this.folder = folder;
        this.name = name;
        this.bye = bye;
        this.newMail = newMail;
    }

    /**
     * Opens {@code name} of the session for watching.
     *
     * @throws ImapFolderException      the folder does not exist
     * @throws ImapSessionLostException the connection ended
     */
    static ImapIdle open(ImapSession session, String name, Executor wakeOn) throws ImapException {
        try {
            IMAPFolder folder = (IMAPFolder) session.store().getFolder(session.serverName(name));
            folder.open(Folder.READ_ONLY);
            ServerByeRecorder bye = new ServerByeRecorder();
            // The server may announce new mail among the answers to IDLE itself (mail that arrived while no IDLE ran),
            // after which Angus's idle() waits for a further answer that may never come: so each EXISTS also ends the
            // IDLE from another thread. Waking an IDLE that has already ended does nothing.
            NewMailRecorder newMail = new NewMailRecorder(() -> wakeOn.execute(() -> wake(folder, name)));
            folder.doCommand(p -> {
                p.addResponseHandler(bye);
                p.addResponseHandler(newMail);
                return null;
            });
            return new ImapIdle(session, folder, name, bye, newMail);
        } catch (MessagingException e) {
            boolean alive = !ImapFailures.isConnectionFailure(e) && session.store().isConnected();
            throw ImapFailures.working(e, "open the folder \"" + name + "\" to watch it", name, alive,
                    java.util.Optional.empty(), session.target(), session.token());
        }
    }

    /**
     * Waits in IDLE until the server says anything or {@link #wake()} is called. Returns true when the server
     * announced new mail since the last call (including before this one: mail announced while no IDLE was running
     * is not missed).
     *
     * @throws ImapSessionLostException the connection ended (a BYE, a reset, a timeout)
     */
    public boolean awaitNewMail() throws ImapException {
        if (newMail.take()) {
            return true;
        }
        try {
            folder.idle(true);
        } catch (MessagingException | IllegalStateException e) {
            boolean alive = folder.isOpen() && !ImapFailures.isConnectionFailure(e);
            throw ImapFailures.working(e, "wait for new mail (IDLE)", name, alive, bye.bye(), session.target(),
                    session.token());
        }
        if (!folder.isOpen()) {
            // Angus closes the folder on a BYE read during IDLE without throwing.
            throw ImapFailures.sessionLost(new jakarta.mail.FolderClosedException(folder, "closed during IDLE"),
                    bye.bye(), session.target(), session.token());
        }
        return newMail.take();
    }

    /** Ends the IDLE in progress (if any), from any thread; never throws. A wake before the IDLE starts is lost. */
    public void wake() {
        wake(folder, name);
    }

    private static void wake(IMAPFolder folder, String name) {
        try {
            // Any use of the folder by another thread makes Angus end the IDLE (DONE) and waits for it to end.
            folder.doCommand(p -> null);
        } catch (MessagingException | RuntimeException e) {
            log.debug("Waking the IDLE on {} found the connection gone: {}", name, e.getClass().getSimpleName());
        }
    }

    /** Closes the folder's connection without waiting for the server. Never throws. */
    @Override
    public void close() {
        try {
            if (folder.isOpen()) {
                folder.forceClose();
            }
        } catch (MessagingException | RuntimeException e) {
            log.debug("Closing the watched folder {} failed; the connection is dropped anyway", name);
        }
    }

    /** Notes each untagged {@code EXISTS}: the server has a new message count, so mail may have arrived. */
    private static final class NewMailRecorder implements ResponseHandler {
        private final AtomicBoolean seen = new AtomicBoolean();
        private final Runnable onNewMail;

        NewMailRecorder(Runnable onNewMail) {
            this.onNewMail = onNewMail;
        }

        @Override
        public void handleResponse(Response response) {
            if (response instanceof IMAPResponse r && r.keyEquals("EXISTS")) {
                seen.set(true);
                try {
                    onNewMail.run();
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // the node is stopping; nothing needs waking
                }
            }
        }

        boolean take() {
            return seen.getAndSet(false);
        }
    }
}
