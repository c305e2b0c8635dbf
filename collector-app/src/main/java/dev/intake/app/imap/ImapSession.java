package dev.intake.app.imap;

import dev.intake.config.Secret;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An authenticated IMAP session with one mailbox. Not thread safe: one collection run uses it, then closes it.
 *
 * <p>Folder names are given as configured, with {@code /} between levels ({@code Intake/Accepted}); the session
 * translates them to the server's hierarchy separator.
 */
public final class ImapSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ImapSession.class);
    private static final char UNKNOWN = '\uFFFF';

    private final IMAPStore store;
    private final ImapTarget target;
    private final Secret token;
    private final List<ImapFolder> openFolders = new ArrayList<>();
    private char separator = UNKNOWN;

    ImapSession(IMAPStore store, ImapTarget target, Secret token) {
        this.store = store;
        this.target = target;
        this.token = token;
    }

    public ImapTarget target() {
        return target;
    }

    /**
     * Opens a folder read-write (so post-actions can move, flag and delete). Reading never sets \Seen.
     *
     * @throws ImapFolderException      the folder does not exist or may not be changed
     * @throws ImapSessionLostException the connection ended
     */
    public ImapFolder openFolder(String name) throws ImapException {
        try {
            IMAPFolder folder = (IMAPFolder) store.getFolder(serverName(name));
            folder.open(Folder.READ_WRITE);
            ServerByeRecorder bye = new ServerByeRecorder();
            folder.doCommand(p -> {
                p.addResponseHandler(bye);
                return null;
            });
            ImapFolder opened = new ImapFolder(this, folder, name, bye);
            openFolders.add(opened);
            return opened;
        } catch (MessagingException e) {
            throw failure(e, "open the folder \"" + name + "\"", name);
        }
    }

    /** True when the server offers IDLE (RFC 2177); without it a mailbox in {@code mode: idle} is polled. */
    public boolean supportsIdle() throws ImapException {
        try {
            return store.hasCapability("IDLE");
        } catch (MessagingException e) {
            throw failure(e, "read the server's capabilities", "");
        }
    }

    /**
     * Opens a folder read-only to wait in IDLE for new mail; see {@link ImapIdle}. Only one thread waits on it;
     * {@code wakeOn} runs the short tasks that end an IDLE from outside it.
     *
     * @throws ImapFolderException      the folder does not exist
     * @throws ImapSessionLostException the connection ended
     */
    public ImapIdle watch(String name, java.util.concurrent.Executor wakeOn) throws ImapException {
        return ImapIdle.open(this, name, wakeOn);
    }

    /** Whether the folder exists (a folder Intake moves mail to is created at the first move). */
    public boolean folderExists(String name) throws ImapException {
        try {
            return store.getFolder(serverName(name)).exists();
        } catch (MessagingException e) {
            throw failure(e, "look for the folder \"" + name + "\"", name);
        }
    }

    /**
     * Makes sure a folder exists, creating it and any missing parent when {@code create} is true, so that
     * post-actions can move messages there. Existing folders are left as they are.
     *
     * @throws ImapFolderException the folder is missing and {@code create} is false, the server refused to create
     *                             it, or it exists but cannot hold messages
     */
    public void ensureFolder(String name, boolean create) throws ImapException {
        try {
            char sep = separator();
            String serverName = FolderNames.toServer(name, sep);
            Folder folder = store.getFolder(serverName);
            if (folder.exists()) {
                requireHoldsMessages(folder, name);
                return;
            }
            if (!create) {
                throw new ImapFolderException("The folder \"" + name + "\" does not exist in " + target.user()
                        + " at " + target.address() + ", and Intake may not create folders for this mailbox."
                        + " Create the folder in the mailbox, or allow Intake to create folders.", null);
            }
            // RFC 3501 says a server SHOULD create missing parents itself; not all do.
            for (String parent : FolderNames.parents(serverName, sep)) {
                Folder p = store.getFolder(parent);
                if (!p.exists() && !p.create(Folder.HOLDS_MESSAGES) && !p.exists()) {
                    throw refusedCreate(parent);
                }
            }
            // A concurrent run may have created it between exists() and create(): that is success too.
            if (!folder.create(Folder.HOLDS_MESSAGES) && !folder.exists()) {
                throw refusedCreate(name);
            }
            subscribe(folder);
            log.info("Created IMAP folder \"{}\" in {} at {}", serverName, target.user(), target.address());
        } catch (MessagingException e) {
            throw failure(e, "check or create the folder \"" + name + "\"", name);
        }
    }

    /** True while the server still answers; asks it (NOOP). */
    public boolean isOpen() {
        return store.isConnected();
    }

    /** Closes the open folders (without expunging) and logs out. Never throws. */
    @Override
    public void close() {
        for (ImapFolder folder : List.copyOf(openFolders)) {
            folder.close();
        }
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            log.debug("IMAP logout from {} failed; the connection is dropped anyway: {}", target.address(),
                    ImapFailures.detail(e, target, token));
        }
    }

    @Override
    public String toString() {
        return "ImapSession[" + target.user() + " at " + target.address() + "]";
    }

    String serverName(String configured) throws MessagingException {
        return FolderNames.toServer(configured, separator());
    }

    IMAPStore store() {
        return store;
    }

    Secret token() {
        return token;
    }

    void forget(ImapFolder folder) {
        openFolders.remove(folder);
    }

    private char separator() throws MessagingException {
        if (separator == UNKNOWN) {
            separator = store.getDefaultFolder().getSeparator();
        }
        return separator;
    }

    private void requireHoldsMessages(Folder folder, String name) throws MessagingException, ImapFolderException {
        if ((folder.getType() & Folder.HOLDS_MESSAGES) == 0) {
            throw new ImapFolderException("The folder \"" + name + "\" in " + target.user()
                    + " exists but cannot hold messages (it is only a container). Choose another folder.", null);
        }
    }

    private ImapFolderException refusedCreate(String name) {
        return new ImapFolderException("The IMAP server at " + target.address() + " refused to create the folder \""
                + name + "\" in " + target.user() + ". Create it in the mailbox, or choose another folder.", null);
    }

    /** Mail clients that show subscribed folders only (Thunderbird by default) should show ours. */
    private void subscribe(Folder folder) {
        try {
            folder.setSubscribed(true);
        } catch (MessagingException | RuntimeException e) {
            log.debug("Could not subscribe to {}: {}", folder.getFullName(), ImapFailures.detail(e, target, token));
        }
    }

    private ImapException failure(MessagingException e, String action, String folder) {
        boolean alive = !ImapFailures.isConnectionFailure(e) && store.isConnected();
        return ImapFailures.working(e, action, folder, alive, Optional.empty(), target, token);
    }
}
