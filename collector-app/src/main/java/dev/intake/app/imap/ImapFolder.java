package dev.intake.app.imap;

import dev.intake.app.spool.Spool;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.ReceivedDateTerm;
import jakarta.mail.search.SearchTerm;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.eclipse.angus.mail.imap.protocol.UIDSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open folder of an {@link ImapSession}, addressed by UID. Reading never sets \Seen; changes happen only
 * through the post-actions ({@link #moveTo}, {@link #flagSeen}, {@link #delete}), each one command per batch.
 *
 * <p>Bodies are read either several at a time ({@link #rawMessages}) or streamed one by one ({@link #withRaw}).
 *
 * <p>UIDs are meaningful only together with {@link #uidValidity()}: when it changes, the server has renumbered the
 * folder. UIDs that no longer exist (another client moved or expunged them) are skipped silently everywhere.
 */
public final class ImapFolder implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ImapFolder.class);
    private static final Pattern MESSAGE_ID = Pattern.compile("<[^<>\\s]+>");
    /** IMAP SEARCH SINCE compares dates in the server's time zone; a day of slack, then the exact filter. */
    private static final Duration SINCE_SLACK = Duration.ofDays(1);

    private final ImapSession session;
    private final IMAPFolder folder;
    private final String name;
    private final ServerByeRecorder bye;

    ImapFolder(ImapSession session, IMAPFolder folder, String name, ServerByeRecorder bye) {
        this.session = session;
        this.folder = folder;
        this.name = name;
        this.bye = bye;
    }

    /** The name as configured, e.g. {@code INBOX}. */
    public String name() {
        return name;
    }

    /** UIDVALIDITY: stored UIDs are valid only as long as this stays the same. */
    public long uidValidity() throws ImapException {
        return work("read the UIDVALIDITY", folder::getUIDValidity);
    }

    /**
     * UIDNEXT as of opening: every message arriving later gets a UID at least this large. A collector that should
     * take only new mail starts after {@code uidNext() - 1}.
     */
    public long uidNext() throws ImapException {
        return work("read the UIDNEXT", () -> {
            long announced = folder.getUIDNext();
            if (announced > 0) {
                return announced;
            }
            // UIDNEXT is optional in a SELECT answer. "UID FETCH <max>:*" then names the highest UID in use: the
            // very RFC 3501 rule that uidsAfter has to filter out.
            long[] highest = (long[]) folder.doCommand(p -> p.fetchSequenceNumbers(UIDFolder.MAXUID, UIDFolder.LASTUID));
            return LongStream.of(highest).max().orElse(0) + 1;
        });
    }

    /**
     * The UIDs greater than {@code lastUid}, ascending, at most {@code limit} of them: the messages not yet seen
     * by a collector that has handled everything up to {@code lastUid}.
     */
    public List<Long> uidsAfter(long lastUid, int limit) throws ImapException {
        if (lastUid < 0) {
            throw new IllegalArgumentException("lastUid must be 0 or more, was " + lastUid);
        }
        requirePositive(limit);
        return work("list new messages", () -> {
            // The UIDs as the server reports them, not through Angus's message cache, which drops a FETCH for a
            // message it has not yet been told exists.
            long[] reported = (long[]) folder.doCommand(p -> p.fetchSequenceNumbers(lastUid + 1, UIDFolder.LASTUID));
            // "UID FETCH n:*" always includes the highest UID, even when it is below n (RFC 3501, 6.4.8).
            return LongStream.of(reported).filter(uid -> uid > lastUid).sorted().distinct().limit(limit)
                    .boxed().toList();
        });
    }

    /**
     * UIDs of messages without \Seen, ascending; with {@code since}, only those that arrived (INTERNALDATE) at or
     * after it. For a first collection that should not import a whole backlog.
     */
    public List<Long> searchUnread(Optional<Instant> since) throws ImapException {
        Objects.requireNonNull(since, "since");
        return work("search unread messages", () -> {
            SearchTerm term = new FlagTerm(new Flags(Flags.Flag.SEEN), false);
            if (since.isPresent()) {
                // SEARCH SINCE has day granularity; narrow on the server, then filter exactly below.
                Date day = Date.from(since.get().minus(SINCE_SLACK));
                term = new AndTerm(term, new ReceivedDateTerm(ComparisonTerm.GE, day));
            }
            Message[] found = folder.search(term);
            FetchProfile profile = new FetchProfile();
            profile.add(UIDFolder.FetchProfileItem.UID);
            if (since.isPresent()) {
                profile.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
            }
            folder.fetch(found, profile);
            List<Long> uids = new ArrayList<>(found.length);
            for (Message m : found) {
                if (m.isExpunged()) {
                    continue;
                }
                Date received = m.getReceivedDate();
                if (since.isEmpty() || received == null || !received.toInstant().isBefore(since.get())) {
                    uids.add(folder.getUID(m));
                }
            }
            uids.sort(null);
            return List.copyOf(uids);
        });
    }

    /**
     * Summaries of the messages that arrived (INTERNALDATE) at or after {@code since}, ascending by UID: what a
     * reconciliation compares with the records. Several FETCHes of at most 500 messages each.
     */
    public List<MessageSummary> receivedSince(Instant since) throws ImapException {
        Objects.requireNonNull(since, "since");
        List<Long> uids = work("search the messages received since " + since, () -> {
            // SEARCH SINCE has day granularity in the server's time zone; narrow on the server, filter exactly below.
            Message[] found = folder.search(new ReceivedDateTerm(ComparisonTerm.GE, Date.from(since.minus(SINCE_SLACK))));
            FetchProfile profile = new FetchProfile();
            profile.add(UIDFolder.FetchProfileItem.UID);
            folder.fetch(found, profile);
            List<Long> all = new ArrayList<>(found.length);
            for (Message m : found) {
                if (!m.isExpunged()) {
                    all.add(folder.getUID(m));
                }
            }
            all.sort(null);
            return all;
        });
        List<MessageSummary> result = new ArrayList<>(uids.size());
        for (int from = 0; from < uids.size(); from += 500) {
            for (MessageSummary s : summaries(uids.subList(from, Math.min(uids.size(), from + 500)))) {
                if (s.receivedAt().map(at -> !at.isBefore(since)).orElse(true)) {
                    result.add(s);
                }
            }
        }
        return List.copyOf(result);
    }

    /**
     * Summaries of the given messages with one FETCH (UID, ENVELOPE, INTERNALDATE, RFC822.SIZE, FLAGS and the
     * threading and auto-reply headers), in the order given; UIDs that no longer exist are left out.
     */
    public List<MessageSummary> summaries(List<Long> uids) throws ImapException {
        Objects.requireNonNull(uids, "uids");
        if (uids.isEmpty()) {
            return List.of();
        }
        return work("fetch message summaries", () -> {
            Message[] messages = existing(uids);
            FetchProfile profile = new FetchProfile();
            profile.add(UIDFolder.FetchProfileItem.UID);
            profile.add(FetchProfile.Item.ENVELOPE);
            profile.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
            profile.add(FetchProfile.Item.SIZE);
            profile.add(FetchProfile.Item.FLAGS);
            profile.add("References");
            profile.add("Auto-Submitted");
            profile.add("Precedence");
            folder.fetch(messages, profile);
            List<MessageSummary> summaries = new ArrayList<>(messages.length);
            for (Message m : messages) {
                try {
                    summaries.add(summarize((IMAPMessage) m));
                } catch (MessageRemovedException gone) {
                    log.debug("Message vanished from {} while summarizing; skipped", name);
                }
            }
            return List.copyOf(summaries);
        });
    }

    /**
     * Streams the complete raw message (BODY.PEEK[], fetched in chunks) to the consumer, without setting \Seen
     * and without holding it whole in memory.
     *
     * @return false when no message has this UID (any more); the consumer is then not called
     * @throws ImapException when the IMAP side failed, also if the consumer caught and hid that failure
     * @throws IOException   when the consumer itself failed
     */
    public boolean withRaw(long uid, RawConsumer consumer) throws ImapException, IOException {
        Objects.requireNonNull(consumer, "consumer");
        String action = "read message UID " + uid;
        Message[] found = work(action, () -> existing(List.of(uid)));
        if (found.length == 0) {
            return false;
        }
        IMAPMessage message = (IMAPMessage) found[0];
        InputStream raw;
        try {
            raw = message.getMimeStream();
        } catch (MessageRemovedException gone) {
            return false;
        } catch (MessagingException e) {
            throw failure(e, action);
        }
        FailureRecordingInputStream in = new FailureRecordingInputStream(raw);
        try (in) {
            consumer.accept(in);
        } catch (IOException | RuntimeException e) {
            if (in.failure() != null) {
                throw streamFailure(in.failure(), message, uid);
            }
            throw e;
        }
        if (in.failure() != null) {
            throw streamFailure(in.failure(), message, uid);
        }
        return true;
    }

    /**
     * The complete raw messages of several UIDs with one command ({@code UID FETCH set (UID BODY.PEEK[])}), without
     * setting \Seen: one round trip for a group of messages instead of one or more per message, which is what the
     * rate of collection depends on when the server is not next door. Every message of the group is held in memory
     * at once, so the caller keeps the group small in bytes ({@link MessageSummary#size()}) and streams a large
     * message with {@link #withRaw} instead.
     *
     * @return the raw bytes by UID, each where it arrived, inside the server's answer (not copied out of it); a UID
     *         that no longer exists is absent
     */
    public Map<Long, Spool> rawMessages(Collection<Long> uids) throws ImapException {
        long[] wanted = uids.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        if (wanted.length == 0) {
            return Map.of();
        }
        String command = "UID FETCH " + UIDSet.toString(UIDSet.createUIDSets(wanted)) + " (UID BODY.PEEK[])";
        return work("read " + wanted.length + " messages", () -> {
            @SuppressWarnings("unchecked")
            Map<Long, Spool> raws = (Map<Long, Spool>) folder.doCommand(p -> {
                Response[] responses = p.command(command, null);
                Map<Long, Spool> found = new HashMap<>();
                for (int i = 0; i < responses.length - 1; i++) {
                    if (responses[i] instanceof FetchResponse fetch) {
                        UID uid = fetch.getItem(UID.class);
                        BODY body = fetch.getItem(BODY.class);
                        ByteArray data = body == null ? null : body.getByteArray();
                        if (uid != null && data != null) {
                            found.put(uid.uid, rawOf(data));
                            responses[i] = null; // ours; everything else (EXISTS, EXPUNGE, BYE) goes to the folder
                        }
                    }
                }
                p.notifyResponseHandlers(responses);
                p.handleResult(responses[responses.length - 1]);
                return found;
            });
            return raws;
        });
    }

    /**
     * A message's bytes where they arrived, inside the buffer of the server's answer: each answer has a buffer of its
     * own (Angus reuses one only for partial fetches), sized to the literal plus a few bytes. Copied out only when
     * the buffer is much larger than the message, so that what a batch holds is about what its messages weigh.
     */
    private static Spool rawOf(ByteArray data) {
        byte[] buffer = data.getBytes();
        int start = data.getStart();
        int count = data.getCount();
        if (buffer.length - count > Math.max(4096, count / 8)) {
            return Spool.of(Arrays.copyOfRange(buffer, start, start + count));
        }
        return Spool.of(buffer, start, count);
    }

    /**
     * Moves the messages to another folder (IMAP MOVE; without MOVE, COPY then \Deleted and expunge).
     * The target must exist: see {@link ImapSession#ensureFolder}.
     */
    public void moveTo(Collection<Long> uids, String targetFolder) throws ImapException {
        if (supports("MOVE")) {
            transfer(uids, targetFolder, true);
        } else {
            transfer(uids, targetFolder, false);
        }
    }

    /** Sets \Seen on the messages. */
    public void flagSeen(Collection<Long> uids) throws ImapException {
        work("flag messages as seen", () -> {
            Message[] messages = existing(uids);
            if (messages.length > 0) {
                folder.setFlags(messages, new Flags(Flags.Flag.SEEN), true);
            }
            return null;
        });
    }

    /** Sets \Deleted on the messages and expunges them. */
    public void delete(Collection<Long> uids) throws ImapException {
        work("delete messages", () -> {
            Message[] messages = existing(uids);
            if (messages.length > 0) {
                folder.setFlags(messages, new Flags(Flags.Flag.DELETED), true);
                expunge(messages);
            }
            return null;
        });
    }

    /** Closes the folder without expunging. Never throws. */
    @Override
    public void close() {
        session.forget(this);
        try {
            if (folder.isOpen()) {
                // Angus pools the connection for reuse: leave nothing of ours on it.
                folder.doCommand(p -> {
                    p.removeResponseHandler(bye);
                    return null;
                });
                folder.close(false);
            }
        } catch (MessagingException | RuntimeException e) {
            log.debug("Closing folder {} failed; the connection is dropped anyway", name);
        }
    }

    @Override
    public String toString() {
        return "ImapFolder[" + name + " of " + session.target().user() + "]";
    }

    /** The way without MOVE, kept callable so that it can be tested against a server that has MOVE. */
    void transfer(Collection<Long> uids, String targetFolder, boolean useMove) throws ImapException {
        String action = "move messages to \"" + targetFolder + "\"";
        try {
            String targetName = session.serverName(targetFolder);
            work(action, () -> {
                Message[] messages = existing(uids);
                if (messages.length == 0) {
                    return null;
                }
                Folder target = session.store().getFolder(targetName);
                if (useMove) {
                    folder.moveMessages(messages, target);
                } else {
                    folder.copyMessages(messages, target);
                    folder.setFlags(messages, new Flags(Flags.Flag.DELETED), true);
                    expunge(messages);
                }
                return null;
            });
        } catch (MessagingException e) {
            throw failure(e, action);
        } catch (ImapFolderException e) {
            if (e.getCause() instanceof FolderNotFoundException) {
                throw new ImapFolderException("The folder \"" + targetFolder + "\" does not exist in "
                        + session.target().user() + ", so no message was moved there. Create it in the mailbox,"
                        + " or allow Intake to create folders.", e.getCause());
            }
            throw e;
        }
    }

    /** Only the given messages when the server can (UID EXPUNGE, UIDPLUS); else every \Deleted one (EXPUNGE). */
    private void expunge(Message[] messages) throws MessagingException {
        if (hasCapability("UIDPLUS")) {
            folder.expunge(messages);
        } else {
            folder.expunge();
        }
    }

    private boolean supports(String capability) throws ImapException {
        return work("read the server's capabilities", () -> hasCapability(capability));
    }

    /**
     * Asked on the folder's own connection. The store's would do as well, but while this folder holds the pooled
     * connection, Angus opens a second one for the store (TLS handshake and XOAUTH2 again) just to answer.
     */
    private boolean hasCapability(String capability) throws MessagingException {
        return (Boolean) folder.doCommand(p -> p.hasCapability(capability));
    }

    /** The messages with these UIDs, in the order given, leaving out those that do not exist (any more). */
    private Message[] existing(Collection<Long> uids) throws MessagingException {
        long[] wanted = uids.stream().mapToLong(Long::longValue).distinct().toArray();
        if (wanted.length == 0) {
            return new Message[0];
        }
        Message[] found = folder.getMessagesByUID(wanted);
        long[] missing = IntStream.range(0, wanted.length).filter(i -> found[i] == null).mapToLong(i -> wanted[i])
                .toArray();
        if (missing.length > 0) {
            // A message that arrived after SELECT can be mapped only once the server has announced it (EXISTS);
            // GreenMail even answers the FETCH before the EXISTS. A NOOP and a second look settle that; a UID still
            // missing is gone (moved or expunged by another client).
            folder.doCommand(p -> {
                p.noop();
                return null;
            });
            Message[] second = folder.getMessagesByUID(missing);
            for (int i = 0, j = 0; i < wanted.length; i++) {
                if (found[i] == null) {
                    found[i] = second[j++];
                }
            }
        }
        return Arrays.stream(found).filter(m -> m != null && !m.isExpunged()).toArray(Message[]::new);
    }

    private MessageSummary summarize(IMAPMessage m) throws MessagingException {
        return new MessageSummary(
                folder.getUID(m),
                Math.max(0, m.getSizeLong()),
                m.isSet(Flags.Flag.SEEN),
                Optional.ofNullable(m.getMessageID()).map(String::strip).filter(s -> !s.isEmpty()),
                Optional.ofNullable(m.getReceivedDate()).map(Date::toInstant),
                Optional.ofNullable(m.getSentDate()).map(Date::toInstant),
                Optional.ofNullable(m.getSubject()),
                firstAddress(m),
                messageIds(m.getInReplyTo()),
                messageIds(m.getHeader("References", " ")),
                header(m, "Auto-Submitted"),
                header(m, "Precedence"));
    }

    private static Optional<String> firstAddress(IMAPMessage m) throws MessagingException {
        var from = m.getFrom();
        if (from == null || from.length == 0 || !(from[0] instanceof InternetAddress address)) {
            return Optional.empty();
        }
        return Optional.ofNullable(address.getAddress()).filter(a -> !a.isBlank());
    }

    private static Optional<String> header(IMAPMessage m, String name) throws MessagingException {
        String value = m.getHeader(name, ",");
        return Optional.ofNullable(value).map(v -> MimeUtility.unfold(v).strip()).filter(v -> !v.isEmpty());
    }

    private static List<String> messageIds(String headerValue) {
        if (headerValue == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        Matcher matcher = MESSAGE_ID.matcher(MimeUtility.unfold(headerValue));
        while (matcher.find()) {
            ids.add(matcher.group());
        }
        return ids;
    }

    private ImapException streamFailure(IOException failure, IMAPMessage message, long uid) {
        String action = "read message UID " + uid;
        if (!folder.isOpen() || ImapFailures.isConnectionFailure(failure) || bye.bye().isPresent()) {
            return ImapFailures.sessionLost(failure, bye.bye(), session.target(), session.token());
        }
        if (message.isExpunged()) {
            return new ImapFolderException("Message UID " + uid + " was removed from \"" + name
                    + "\" by another client while it was being read; it is left alone.", failure);
        }
        return ImapFailures.working(failure, action, name, true, bye.bye(), session.target(), session.token());
    }

    private ImapException failure(Exception e, String action) {
        return ImapFailures.working(e, action, name, folder.isOpen(), bye.bye(), session.target(), session.token());
    }

    private <T> T work(String action, FolderWork<T> work) throws ImapException {
        try {
            return work.run();
        } catch (MessagingException e) {
            throw failure(e, action);
        }
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    @FunctionalInterface
    private interface FolderWork<T> {
        T run() throws MessagingException, ImapException;
    }
}
