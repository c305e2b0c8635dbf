package dev.intake.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every default of {@code collector.yaml}, in one place; the keys of a provider's kind (Entra's {@code authority},
 * Google's endpoints) have theirs in that provider's module. A key left out of the file takes the value here;
 * The README's configuration section documents the same table for operators.
 */
public final class Defaults {

    /** {@code server.bind}: only this machine can reach the HTTP server until the operator opens it up. */
    public static final String SERVER_BIND = "127.0.0.1";

    /** {@code server.port}. */
    public static final int SERVER_PORT = 8080;

    /** {@code database.url}: an embedded H2 file under {@code ./data}, relative to the working directory. */
    public static final String DATABASE_URL = "jdbc:h2:file:./data/intake";

    /** {@code database.pool-size}: connections kept open. */
    public static final int DATABASE_POOL_SIZE = 10;

    /** File name of the local encryption key, kept beside the H2 database file. */
    public static final String LOCAL_KEY_FILE_NAME = "intake.key";

    /** {@code encryption.key-file} when neither it nor an H2 file database says where: {@code ./data/intake.key}. */
    public static final Path LOCAL_KEY_FILE = Path.of(".", "data", LOCAL_KEY_FILE_NAME);

    /** {@code providers.NAME.imap-security}: TLS from the first byte. */
    public static final ImapSecurity IMAP_SECURITY = ImapSecurity.TLS;
    public static final AuthMode AUTH = AuthMode.DELEGATED;

    /** {@code mailboxes[].folder}: the folder collected. */
    public static final String FOLDER = "INBOX";

    /** {@code mailboxes[].create-folders}: create the accepted and refused folders when missing. */
    public static final boolean CREATE_FOLDERS = true;

    /** {@code mailboxes[].poll-every}. */
    public static final Duration POLL_EVERY = Duration.ofMinutes(1);

    /** {@code mailboxes[].mode}: polled, as before IDLE existed. */
    public static final CollectionMode MODE = CollectionMode.POLL;

    /**
     * {@code mailboxes[].idle-reissue-every}: below the ~29-30 minutes after which Gmail and Exchange end an IDLE
     * (RFC 2177 lets a server end it after 30), with room for a slow round trip.
     */
    public static final Duration IDLE_REISSUE_EVERY = Duration.ofMinutes(25);

    /** The longest {@code idle-reissue-every} accepted: later, the big servers have already dropped the IDLE. */
    public static final Duration IDLE_REISSUE_MAX = Duration.ofMinutes(29);

    /** {@code mailboxes[].idle-safety-poll-every}: the scheduled poll beside IDLE, in case a notification is lost. */
    public static final Duration IDLE_SAFETY_POLL_EVERY = Duration.ofMinutes(15);

    /** {@code mailboxes[].max-per-run}: messages taken in one run; the rest wait for the next. */
    public static final int MAX_PER_RUN = 200;

    /** {@code mailboxes[].max-message-size}: larger messages are refused: 25MB, what Gmail and Exchange accept. */
    public static final long MAX_MESSAGE_SIZE = 25L * 1024 * 1024;

    /** {@code mailboxes[].max-attachment-size}: larger attachments are left out of the ticket. */
    public static final long MAX_ATTACHMENT_SIZE = 25L * 1024 * 1024;

    /** {@code mailboxes[].initial-sync}: unread mail of the last 7 days, so a backlog does not flood the desk. */
    public static final InitialSync INITIAL_SYNC = InitialSync.DEFAULT;

    /** {@code mailboxes[].paused}. */
    public static final boolean PAUSED = false;

    /** {@code mailboxes[].requester}: {@code from}, so the requester is the From address, not Reply-To. */
    public static final boolean USE_REPLY_TO = false;

    /** {@code mailboxes[].date}: the message's own Date header. */
    public static final DateSource DATE_SOURCE = DateSource.MAIL;

    /** {@code tickets.tag}. */
    public static final String TICKET_TAG = TicketsConfig.DEFAULT_TAG;

    /** {@code operations.stale-after}: a mailbox without a successful poll for this long is reported stale. */
    public static final Duration STALE_AFTER = Duration.ofHours(1);

    /** {@code operations.scheduler-threads}: mailboxes collected at the same time on one node. */
    public static final int SCHEDULER_THREADS = 4;

    /** {@code operations.reload-check-every}: how often the config and secret files are checked for changes. */
    public static final Duration RELOAD_CHECK_EVERY = Duration.ofSeconds(2);

    /** {@code operations.shutdown-grace}: how long a stopping node waits for runs in hand. */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(30);

    /**
     * {@code operations.reconcile-window}: a week of mail in the accepted and refused folders is compared with the
     * records, so that a restore from last week's backup is still caught.
     */
    public static final Duration RECONCILE_WINDOW = Duration.ofDays(7);

    /**
     * {@code operations.history-retention}: a month of run records. A node polling 1,000 mailboxes every minute
     * writes 1.4 million a day, which nobody reads after the first few.
     */
    public static final Duration HISTORY_RETENTION = Duration.ofDays(30);
    /** How long an API access token works. */
    public static final Duration API_TOKEN_LIFETIME = Duration.ofHours(1);

    private Defaults() {
    }

    /** {@code server.public-url}: {@code http://localhost:{port}}. */
    public static URI publicUrl(int port) {
        return URI.create("http://localhost:" + port);
    }

    /**
     * {@code mailboxes[].post-action}: move when an accepted folder is configured (mail leaves the collected
     * folder, so nothing is looked at twice), else flag as seen.
     */
    public static PostAction postAction(boolean hasAcceptedFolder) {
        return hasAcceptedFolder ? PostAction.MOVE : PostAction.SEEN;
    }

    /**
     * {@code encryption.key-file}: {@code intake.key} beside the H2 database file of {@code databaseUrl}
     * ({@code jdbc:h2:file:./data/intake} gives {@code ./data/intake.key}); {@link #LOCAL_KEY_FILE} when the
     * database is not a local H2 file. Relative, like H2's own paths, to the working directory.
     */
    public static Path localKeyFile(String databaseUrl) {
        Optional<H2FileUrl> h2 = H2FileUrl.parse(databaseUrl);
        if (h2.isEmpty()) {
            return LOCAL_KEY_FILE;
        }
        Path dir = h2.get().location().getParent();
        return dir == null ? Path.of(LOCAL_KEY_FILE_NAME) : dir.resolve(LOCAL_KEY_FILE_NAME);
    }

}
