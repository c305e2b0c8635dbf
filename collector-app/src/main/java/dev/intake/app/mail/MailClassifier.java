package dev.intake.app.mail;

import dev.intake.config.MailboxConfig;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether a mail becomes a ticket (or followup) or is refused, and why. Stateless and thread-safe.
 *
 * <p>The rules run in this order, and the first that matches gives the reason:
 * <ol>
 *   <li>{@link RefusalReason#OVERSIZE}: larger than {@code max-message-size}. Known from the size alone, so the
 *       collector can ask {@link #classifyBySize} before it fetches the body.</li>
 *   <li>{@link RefusalReason#LOOP}: From is the mailbox's own address or its delegate. Before everything else
 *       that reads the mail, because answering one's own mail is how loops start, whatever else it looks like.</li>
 *   <li>{@link RefusalReason#BLOCKED_SENDER}: From (and Reply-To when the mailbox uses it for the requester)
 *       matches a {@code blocked-senders} glob. The admin's explicit rule is reported as such.</li>
 *   <li>{@link RefusalReason#BOUNCE}, strong signs: a multipart/report, a MAILER-DAEMON or postmaster sender,
 *       X-Failed-Recipients. Before auto-reply, since bounces also carry {@code Auto-Submitted}.</li>
 *   <li>{@link RefusalReason#AUTO_REPLY}: Auto-Submitted other than {@code no}, X-Autoreply, X-Autorespond,
 *       {@code Precedence: auto_reply}.</li>
 *   <li>{@link RefusalReason#BOUNCE}, weak sign: an empty Return-Path ({@code <>}, the null sender). After
 *       auto-reply, because out-of-office replies are sent from the null sender too.</li>
 *   <li>{@link RefusalReason#MAILING_LIST}: List-Id or List-Post (RFC 2919, RFC 2369): a post a discussion list
 *       distributed, not a request written to the helpdesk; a ticket's replies would go to the whole list.
 *       Before bulk, as list servers also set {@code Precedence: list}.</li>
 *   <li>{@link RefusalReason#BULK}: {@code Precedence: bulk, junk or list}; or List-Unsubscribe without any
 *       list identity, which is how newsletters and marketing mail look. A person's mail client never adds
 *       List-Unsubscribe, so this does not refuse people.</li>
 * </ol>
 *
 * <p>One exception to the list rules: when the list <em>is</em> the mailbox (the helpdesk address is a Google
 * Group or similar list that delivers to the collected mailbox), List-Post names the mailbox's address, or List-Id
 * its {@code local.domain} form. Then every customer's mail carries list headers, and they are not a reason to
 * refuse (neither is {@code Precedence: list}).
 */
public final class MailClassifier {

    private static final Set<String> BOUNCE_SENDERS = Set.of("mailer-daemon", "postmaster");
    private static final Set<String> BULK_PRECEDENCE = Set.of("bulk", "junk", "list");
    private static final Pattern MAILTO = Pattern.compile("<mailto:([^>?]+)");
    private static final Pattern BRACKETED = Pattern.compile("<([^>]+)>");
    private static final int MAX_DETAIL_VALUE = 200;

    /**
     * The size rule alone, for use before the body is fetched.
     *
     * @return a refusal when {@code rawSize} exceeds the mailbox's {@code max-message-size}, else empty
     */
    public Optional<Verdict> classifyBySize(long rawSize, MailboxConfig mailbox) {
        if (rawSize > mailbox.maxMessageSize()) {
            return Optional.of(Verdict.refuse(RefusalReason.OVERSIZE, "the message is " + humanSize(rawSize)
                    + "; this mailbox takes at most " + humanSize(mailbox.maxMessageSize()) + " (max-message-size)"));
        }
        return Optional.empty();
    }

    /** Classifies a parsed mail of {@code rawSize} bytes collected from {@code mailbox}. */
    public Verdict classify(ParsedMail mail, long rawSize, MailboxConfig mailbox) {
        return classifyBySize(rawSize, mailbox)
                .or(() -> loop(mail, mailbox))
                .or(() -> blockedSender(mail, mailbox))
                .or(() -> bounce(mail))
                .or(() -> autoReply(mail.headers()))
                .or(() -> nullSender(mail.headers()))
                .or(() -> mailingList(mail.headers(), mailbox))
                .or(() -> bulk(mail.headers(), mailbox))
                .orElse(Verdict.accept());
    }

    private static Optional<Verdict> loop(ParsedMail mail, MailboxConfig mailbox) {
        return mail.from()
                .filter(from -> from.sameAddress(mailbox.address())
                        || mailbox.delegate().map(from::sameAddress).orElse(false))
                .map(from -> Verdict.refuse(RefusalReason.LOOP, "From " + from.address()
                        + (from.sameAddress(mailbox.address()) ? " is this mailbox" : " is this mailbox's delegate")));
    }

    private static Optional<Verdict> blockedSender(ParsedMail mail, MailboxConfig mailbox) {
        if (mailbox.blockedSenders().isEmpty()) {
            return Optional.empty();
        }
        SenderPatterns patterns = new SenderPatterns(mailbox.blockedSenders());
        Optional<Verdict> byFrom = mail.from().flatMap(from -> patterns.match(from.address())
                .map(glob -> Verdict.refuse(RefusalReason.BLOCKED_SENDER,
                        "From " + from.address() + " matches blocked-senders '" + glob + "'")));
        if (byFrom.isPresent() || !mailbox.useReplyTo()) {
            return byFrom;
        }
        for (MailAddress replyTo : mail.replyTo()) {
            Optional<String> glob = patterns.match(replyTo.address());
            if (glob.isPresent()) {
                return Optional.of(Verdict.refuse(RefusalReason.BLOCKED_SENDER,
                        "Reply-To " + replyTo.address() + " matches blocked-senders '" + glob.get() + "'"));
            }
        }
        return Optional.empty();
    }

    private static Optional<Verdict> bounce(ParsedMail mail) {
        if (mail.contentType().equals("multipart/report")) {
            String reportType = mail.headers().first(MailHeaders.CONTENT_TYPE)
                    .flatMap(MailClassifier::reportType).orElse("unknown");
            return refuse(RefusalReason.BOUNCE, "multipart/report (report-type " + reportType + ")");
        }
        Optional<MailAddress> daemon = mail.from().filter(from -> BOUNCE_SENDERS.contains(from.localPart()));
        if (daemon.isPresent()) {
            return refuse(RefusalReason.BOUNCE, "From " + daemon.get().address());
        }
        return header(mail.headers(), MailHeaders.X_FAILED_RECIPIENTS)
                .flatMap(detail -> refuse(RefusalReason.BOUNCE, detail));
    }

    private static Optional<Verdict> autoReply(MailHeaders headers) {
        Optional<String> submitted = headers.first(MailHeaders.AUTO_SUBMITTED).filter(v -> !v.isBlank());
        if (submitted.isPresent() && !token(submitted.get()).equals("no")) {
            return refuse(RefusalReason.AUTO_REPLY, MailHeaders.AUTO_SUBMITTED + ": " + cut(submitted.get()));
        }
        for (String name : new String[] {MailHeaders.X_AUTOREPLY, MailHeaders.X_AUTORESPOND}) {
            Optional<String> detail = header(headers, name);
            if (detail.isPresent()) {
                return refuse(RefusalReason.AUTO_REPLY, detail.get());
            }
        }
        return headers.first(MailHeaders.PRECEDENCE)
                .filter(p -> token(p).equals("auto_reply"))
                .flatMap(p -> refuse(RefusalReason.AUTO_REPLY, MailHeaders.PRECEDENCE + ": " + cut(p)));
    }

    private static Optional<Verdict> nullSender(MailHeaders headers) {
        return headers.first(MailHeaders.RETURN_PATH)
                .filter(path -> path.replaceAll("\\s", "").equals("<>"))
                .flatMap(path -> refuse(RefusalReason.BOUNCE, "Return-Path: <> (the null sender of bounces)"));
    }

    private static Optional<Verdict> mailingList(MailHeaders headers, MailboxConfig mailbox) {
        if (isOwnList(headers, mailbox)) {
            return Optional.empty();
        }
        return header(headers, MailHeaders.LIST_ID)
                .or(() -> header(headers, MailHeaders.LIST_POST))
                .flatMap(detail -> refuse(RefusalReason.MAILING_LIST, detail));
    }

    private static Optional<Verdict> bulk(MailHeaders headers, MailboxConfig mailbox) {
        Optional<String> precedence = headers.first(MailHeaders.PRECEDENCE).map(MailClassifier::token)
                .filter(BULK_PRECEDENCE::contains)
                .filter(p -> !(p.equals("list") && isOwnList(headers, mailbox)));
        if (precedence.isPresent()) {
            return refuse(RefusalReason.BULK, MailHeaders.PRECEDENCE + ": " + precedence.get());
        }
        if (headers.has(MailHeaders.LIST_UNSUBSCRIBE) && !isOwnList(headers, mailbox)) {
            return refuse(RefusalReason.BULK, "List-Unsubscribe without a list identity (newsletter)");
        }
        return Optional.empty();
    }

    /** The mailbox's own address is the list: a helpdesk address run as a group that delivers to it. */
    private static boolean isOwnList(MailHeaders headers, MailboxConfig mailbox) {
        String address = mailbox.address().trim().toLowerCase(Locale.ROOT);
        boolean postsToMailbox = headers.first(MailHeaders.LIST_POST)
                .map(MAILTO::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1).trim().toLowerCase(Locale.ROOT).equals(address))
                .orElse(false);
        boolean namedAfterMailbox = headers.first(MailHeaders.LIST_ID)
                .map(BRACKETED::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1).trim().toLowerCase(Locale.ROOT).equals(address.replace('@', '.')))
                .orElse(false);
        return postsToMailbox || namedAfterMailbox;
    }

    private static Optional<String> reportType(String contentType) {
        Matcher m = Pattern.compile("(?i)report-type\\s*=\\s*\"?([A-Za-z0-9-]+)").matcher(contentType);
        return m.find() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** {@code Name: value} for a present, non-blank header. */
    private static Optional<String> header(MailHeaders headers, String name) {
        return headers.first(name).filter(v -> !v.isBlank()).map(v -> name + ": " + cut(v));
    }

    /** The leading token of a header value, without parameters or comments: {@code no (comment)} is {@code no}. */
    private static String token(String value) {
        return value.trim().split("[\\s;(]", 2)[0].toLowerCase(Locale.ROOT);
    }

    private static Optional<Verdict> refuse(RefusalReason reason, String detail) {
        return Optional.of(Verdict.refuse(reason, detail));
    }

    private static String cut(String value) {
        return value.length() > MAX_DETAIL_VALUE ? value.substring(0, MAX_DETAIL_VALUE) + "..." : value;
    }

    static String humanSize(long bytes) {
        if (bytes >= 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        if (bytes >= 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return bytes + " bytes";
    }
}
